package io.herald.tasks.internal.admin;

import static io.herald.tasks.internal.admin.QueueAdminActions.ADMIN_ROLE;

import java.util.Map;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

import io.herald.api.Action;
import io.herald.api.ActionContext;
import io.herald.api.ActionDefinition;
import io.herald.api.ActionException;
import io.herald.api.Input;
import io.herald.api.Inputs;
import io.herald.api.spi.Redactor;
import io.herald.api.task.TaskQueue;
import io.herald.api.task.WorkerStatus;

/**
 * Admin action (ah-resque-ui's name): removes a worker presumed dead; the job it held goes to the failed queue, where
 * it can be retried ({@link TaskQueue#forceCleanWorker}). Answers the worker as it was.
 */
@Component
@ActionDefinition(name = "resque:forceCleanWorker", description = "I remove a worker presumed dead; its job goes to the "
        + "failed queue", roles = ADMIN_ROLE)
public final class ResqueForceCleanWorkerAction implements Action {

    /** The param-filtering bundle's redactor for the args shown; while none runs, every value shows as filtered. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile Redactor redactor;

    private final TaskQueue tasks;

    @Activate
    public ResqueForceCleanWorkerAction(@Reference TaskQueue tasks) {
        this.tasks = tasks;
    }

    @Override
    public Inputs inputs() {
        return Inputs.of(Input.required("workerName"));
    }

    @Override
    public Object run(ActionContext context) {
        String name = (String) context.param("workerName");
        WorkerStatus removed = tasks.forceCleanWorker(name);
        if (removed == null) {
            throw ActionException.notFound("no worker " + name + " is registered");
        }
        return Map.of("removed", QueueAdminActions.worker(removed, redactor));
    }
}
