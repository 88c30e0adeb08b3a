package io.herald.tasks.internal.admin;

import static io.herald.tasks.internal.admin.QueueAdminActions.ADMIN_ROLE;

import java.util.Map;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import io.herald.api.Action;
import io.herald.api.ActionContext;
import io.herald.api.ActionDefinition;
import io.herald.api.Formatters;
import io.herald.api.Input;
import io.herald.api.Inputs;
import io.herald.api.task.TaskQueue;

/** Admin action (ah-resque-ui's name), for callers with the admin role. */
@Component
@ActionDefinition(name = "resque:retryAndRemoveFailed", description = "I enqueue the failed job with this id again and remove it from the failed list",
        roles = ADMIN_ROLE)
public final class ResqueRetryAndRemoveFailedAction implements Action {

    private final TaskQueue tasks;

    @Activate
    public ResqueRetryAndRemoveFailedAction(@Reference TaskQueue tasks) {
        this.tasks = tasks;
    }

    @Override
    public Inputs inputs() {
        return Inputs.of(Input.required("id").type("integer").formatter(Formatters.LONG));
    }

    @Override
    public Object run(ActionContext context) {
        return Map.of("retried", tasks.retryAndRemoveFailed(QueueAdminActions.failedAt(tasks, (Long) context.param("id"))));
    }
}
