package io.herald.tasks.internal.admin;

import static io.herald.tasks.internal.admin.QueueAdminActions.ADMIN_ROLE;

import java.util.Map;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import io.herald.api.Action;
import io.herald.api.ActionContext;
import io.herald.api.ActionDefinition;
import io.herald.api.Input;
import io.herald.api.Inputs;
import io.herald.api.task.TaskQueue;

/** Admin action (ah-resque-ui's name), for callers with the admin role. */
@Component
@ActionDefinition(name = "resque:delQueue", description = "I delete a queue and its jobs",
        roles = ADMIN_ROLE)
public final class ResqueDelQueueAction implements Action {

    private final TaskQueue tasks;

    @Activate
    public ResqueDelQueueAction(@Reference TaskQueue tasks) {
        this.tasks = tasks;
    }

    @Override
    public Inputs inputs() {
        return Inputs.of(Input.required("queue"));
    }

    @Override
    public Object run(ActionContext context) {
        tasks.delQueue((String) context.param("queue"));
        return Map.of("deleted", context.param("queue"));
    }
}
