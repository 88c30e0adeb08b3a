package io.herald.tasks.internal.admin;

import static io.herald.tasks.internal.admin.QueueAdminActions.ADMIN_ROLE;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

import io.herald.api.Action;
import io.herald.api.ActionContext;
import io.herald.api.ActionDefinition;
import io.herald.api.Inputs;
import io.herald.api.spi.Redactor;
import io.herald.api.task.TaskQueue;

/** Admin action (ah-resque-ui's name), for callers with the admin role. */
@Component
@ActionDefinition(name = "resque:details", description = "I list the queues with their lengths, the workers and what they work on, the stats and the scheduler leader",
        roles = ADMIN_ROLE)
public final class ResqueDetailsAction implements Action {

    /** The param-filtering bundle's redactor for the args shown; while none runs, every value shows as filtered. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile Redactor redactor;

    private final TaskQueue tasks;

    @Activate
    public ResqueDetailsAction(@Reference TaskQueue tasks) {
        this.tasks = tasks;
    }

    @Override
    public Inputs inputs() {
        return Inputs.none();
    }

    @Override
    public Object run(ActionContext context) {
        return QueueAdminActions.details(tasks, redactor);
    }
}
