package io.herald.tasks.internal.admin;

import static io.herald.tasks.internal.admin.QueueAdminActions.ADMIN_ROLE;


import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import io.herald.api.Action;
import io.herald.api.ActionContext;
import io.herald.api.ActionDefinition;
import io.herald.api.Inputs;
import io.herald.api.task.TaskQueue;

/**
 * Admin action: the recurring tasks of this node, with their queue, frequency (ms) and the seconds (ms) their next run
 * is delayed to (none while it is queued or running). ah-resque-ui shows periodic tasks only among the delayed jobs.
 */
@Component
@ActionDefinition(name = "resque:recurring", description = "I list the recurring tasks and when each runs next",
        roles = ADMIN_ROLE)
public final class ResqueRecurringAction implements Action {

    private final TaskQueue tasks;

    @Activate
    public ResqueRecurringAction(@Reference TaskQueue tasks) {
        this.tasks = tasks;
    }

    @Override
    public Inputs inputs() {
        return Inputs.none();
    }

    @Override
    public Object run(ActionContext context) {
        return QueueAdminActions.recurring(tasks);
    }
}
