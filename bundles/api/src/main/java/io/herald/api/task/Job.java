package io.herald.api.task;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One job as Resque stores it: {@code {"class":...,"queue":...,"args":[...]}}. For Herald and Actionhero tasks
 * {@code args} holds one element, the params; jobs written by other Resque clients may carry any args.
 *
 * @param taskName the job's {@code class}
 * @param queue the queue it was enqueued on
 * @param args the job's arguments, as decoded from JSON (maps, lists, strings, numbers, booleans, nulls)
 * @since 1.0
 */
public record Job(String taskName, String queue, List<Object> args) {

    public Job {
        Objects.requireNonNull(taskName, "taskName");
        Objects.requireNonNull(queue, "queue");
        args = args == null ? List.of() : java.util.Collections.unmodifiableList(new java.util.ArrayList<>(args));
    }

    /** The params of a Herald/Actionhero job ({@code args[0]} when it is an object), else an empty map. */
    @SuppressWarnings("unchecked")
    public Map<String, Object> params() {
        if (!args.isEmpty() && args.get(0) instanceof Map<?, ?> map) {
            return (Map<String, Object>) map;
        }
        return Map.of();
    }
}
