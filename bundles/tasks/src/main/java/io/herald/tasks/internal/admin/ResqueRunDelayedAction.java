package io.herald.tasks.internal.admin;

import static io.herald.tasks.internal.admin.QueueAdminActions.ADMIN_ROLE;

import java.time.Instant;
import java.util.Map;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import io.herald.api.Action;
import io.herald.api.ActionContext;
import io.herald.api.ActionDefinition;
import io.herald.api.Inputs;
import io.herald.api.task.Job;
import io.herald.api.task.TaskQueue;

/**
 * Admin action (ah-resque-ui's name): moves the delayed job named by its second ({@code timestamp}, ms) and index
 * ({@code count}) to its queue now, as the scheduler would when it comes due ({@link TaskQueue#runDelayed}: hooks, then
 * one atomic move; ah-resque-ui deletes, then enqueues, and loses the job when the enqueue fails).
 */
@Component
@ActionDefinition(name = "resque:runDelayed", description = "I move a delayed job to its queue now", roles = ADMIN_ROLE)
public final class ResqueRunDelayedAction implements Action {

    private final TaskQueue tasks;

    @Activate
    public ResqueRunDelayedAction(@Reference TaskQueue tasks) {
        this.tasks = tasks;
    }

    @Override
    public Inputs inputs() {
        return QueueAdminActions.DELAYED_JOB;
    }

    @Override
    public Object run(ActionContext context) {
        long timestamp = (Long) context.param("timestamp");
        Job job = QueueAdminActions.delayedAt(tasks, timestamp, (Long) context.param("count"));
        return Map.of("enqueued", tasks.runDelayed(Instant.ofEpochMilli(timestamp), job));
    }
}
