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
import io.herald.api.task.TaskQueue;

/** Admin action, ah-resque-ui's {@code resque:resqueFailedCount}: the length of the failed queue. */
@Component
@ActionDefinition(name = "resque:failedCount", description = "I count the failed jobs", roles = ADMIN_ROLE)
public final class ResqueFailedCountAction implements Action {

    private final TaskQueue tasks;

    @Activate
    public ResqueFailedCountAction(@Reference TaskQueue tasks) {
        this.tasks = tasks;
    }

    @Override
    public Inputs inputs() {
        return Inputs.none();
    }

    @Override
    public Object run(ActionContext context) {
        return Map.of("failedCount", tasks.failedCount());
    }
}
