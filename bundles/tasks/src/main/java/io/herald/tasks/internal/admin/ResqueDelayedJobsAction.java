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
import io.herald.api.Formatters;
import io.herald.api.Input;
import io.herald.api.Inputs;
import io.herald.api.spi.Redactor;
import io.herald.api.task.TaskQueue;

/**
 * Admin action (ah-resque-ui's name): the seconds with delayed jobs, a page of them ({@code start}..{@code stop},
 * inclusive, earliest first), each with its jobs; a job is then named by its second ({@code timestamp}, ms) and its
 * index among that second's jobs ({@code count}).
 */
@Component
@ActionDefinition(name = "resque:delayedjobs", description = "I list the delayed jobs by the second they are due, "
        + "seconds start to stop (inclusive)", roles = ADMIN_ROLE)
public final class ResqueDelayedJobsAction implements Action {

    /** The param-filtering bundle's redactor for the args shown; while none runs, every value shows as filtered. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile Redactor redactor;

    private final TaskQueue tasks;

    @Activate
    public ResqueDelayedJobsAction(@Reference TaskQueue tasks) {
        this.tasks = tasks;
    }

    @Override
    public Inputs inputs() {
        return Inputs.of(Input.optional("start").type("integer").defaultValue(0L).formatter(Formatters.LONG),
                Input.optional("stop").type("integer").defaultValue(99L).formatter(Formatters.LONG));
    }

    @Override
    public Object run(ActionContext context) {
        return QueueAdminActions.delayed(tasks, (Long) context.param("start"), (Long) context.param("stop"), redactor);
    }
}
