package io.herald.tasks.internal.engine;

import java.util.Collections;
import java.util.Map;

import io.herald.api.task.TaskContext;
import io.herald.api.task.TaskQueue;
import io.herald.core.json.HeraldJson;

/** What a task sees of the job it runs: one instance per job. */
final class JobContext implements TaskContext {

    private final String taskName;
    private final String queue;
    private final Map<String, Object> params;
    private final String workerName;
    private final TaskQueue tasks;

    JobContext(String taskName, String queue, Map<String, Object> params, String workerName, TaskQueue tasks) {
        this.taskName = taskName;
        this.queue = queue;
        this.params = Collections.unmodifiableMap(params);
        this.workerName = workerName;
        this.tasks = tasks;
    }

    @Override
    public String taskName() {
        return taskName;
    }

    @Override
    public String queue() {
        return queue;
    }

    @Override
    public Map<String, Object> params() {
        return params;
    }

    @Override
    public <T> T param(String name, Class<T> type) {
        Object value = params.get(name);
        if (value == null) {
            return null;
        }
        if (type.isInstance(value)) {
            return type.cast(value);
        }
        try {
            return HeraldJson.mapper().convertValue(value, type);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("param " + name + " of task " + taskName + " cannot be read as "
                    + type.getSimpleName() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String workerName() {
        return workerName;
    }

    @Override
    public TaskQueue tasks() {
        return tasks;
    }
}
