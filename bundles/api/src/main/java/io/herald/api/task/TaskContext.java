package io.herald.api.task;

import java.util.Map;

import org.osgi.annotation.versioning.ProviderType;

/**
 * What a task sees of the job it runs. Implemented by the task processor; one instance per job.
 *
 * @since 1.0
 */
@ProviderType
public interface TaskContext {

    /** The task's name (the job's {@code class}). */
    String taskName();

    /** The queue the job came from. */
    String queue();

    /** The job's params ({@code args[0]} of the Resque payload), read-only; empty when the job carried none. */
    Map<String, Object> params();

    /** One param, or {@code null} when absent. */
    default Object param(String name) {
        return params().get(name);
    }

    /**
     * One param converted to {@code type} ({@code "42"} to {@code Integer}, a JSON object to a record, ...), or
     * {@code null} when absent.
     *
     * @throws IllegalArgumentException when the value cannot be converted
     */
    <T> T param(String name, Class<T> type);

    /** The name of the worker running the job, {@code host:pid+N} as node-resque names workers. */
    String workerName();

    /** The queue service, to enqueue follow-up work. */
    TaskQueue tasks();
}
