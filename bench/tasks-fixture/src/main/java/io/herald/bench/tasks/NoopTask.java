package io.herald.bench.tasks;

import org.osgi.service.component.annotations.Component;

import io.herald.api.task.Task;
import io.herald.api.task.TaskContext;
import io.herald.api.task.TaskDefinition;

/** The job bench/tasks.sh drains: does nothing, so the figure is the task processor's own cost. */
@Component
@TaskDefinition(name = "noop", queue = "bench", description = "I do nothing, quickly")
public final class NoopTask implements Task {

    @Override
    public Object run(TaskContext context) {
        return null;
    }
}
