package io.herald.tasks.internal.admin;

import static io.herald.tasks.internal.admin.QueueAdminActions.ADMIN_ROLE;

import java.util.Map;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import io.herald.api.Action;
import io.herald.api.ActionContext;
import io.herald.api.ActionDefinition;
import io.herald.api.ActionException;
import io.herald.api.Inputs;
import io.herald.api.task.Job;
import io.herald.api.task.TaskQueue;

/**
 * Admin action (ah-resque-ui's name): removes the delayed job named by its second ({@code timestamp}, ms) and index
 * ({@code count}), as ah-resque-ui does through {@code delDelayed(queue, class, args)}: the same job delayed to other
 * seconds goes too. Answers the seconds it was removed from.
 */
@Component
@ActionDefinition(name = "resque:delDelayed", description = "I remove a delayed job (and its copies at other seconds)",
        roles = ADMIN_ROLE)
public final class ResqueDelDelayedAction implements Action {

    private final TaskQueue tasks;

    @Activate
    public ResqueDelDelayedAction(@Reference TaskQueue tasks) {
        this.tasks = tasks;
    }

    @Override
    public Inputs inputs() {
        return QueueAdminActions.DELAYED_JOB;
    }

    @Override
    public Object run(ActionContext context) {
        Job job = QueueAdminActions.delayedAt(tasks, (Long) context.param("timestamp"), (Long) context.param("count"));
        if (job.args().size() != 1 || !(job.args().get(0) instanceof Map)) {
            // TaskQueue finds delayed jobs by their params: a foreign client's job with other args cannot be named
            throw ActionException.unprocessable("this job's args are not one object of params (a job of another Resque "
                    + "client): it cannot be removed here");
        }
        return Map.of("timestamps", tasks.delDelayed(job.queue(), job.taskName(), job.params()).stream()
                .map(java.time.Instant::toEpochMilli).toList());
    }
}
