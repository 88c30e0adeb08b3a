package io.herald.tasks.internal.admin;

import static io.herald.tasks.internal.admin.QueueAdminActions.ADMIN_ROLE;

import java.util.Map;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import io.herald.api.Action;
import io.herald.api.ActionContext;
import io.herald.api.ActionDefinition;
import io.herald.api.Inputs;
import io.herald.api.task.FailedJob;
import io.herald.api.task.TaskQueue;

/** Admin action (ah-resque-ui's name), for callers with the admin role. */
@Component
@ActionDefinition(name = "resque:retryAndRemoveAllFailed", description = "I enqueue every failed job again and empty the failed list",
        roles = ADMIN_ROLE)
public final class ResqueRetryAndRemoveAllFailedAction implements Action {

    private final TaskQueue tasks;

    @Activate
    public ResqueRetryAndRemoveAllFailedAction(@Reference TaskQueue tasks) {
        this.tasks = tasks;
    }

    @Override
    public Inputs inputs() {
        return Inputs.none();
    }

    @Override
    public Object run(ActionContext context) {
        long retried = 0;
        for (FailedJob job : tasks.failed(0, -1)) {
            if (tasks.retryAndRemoveFailed(job)) {
                retried++;
            }
        }
        return Map.of("retried", retried);
    }
}
