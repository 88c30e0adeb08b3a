package io.herald.api.task;

import java.util.Map;

import org.osgi.annotation.versioning.ProviderType;

/**
 * One step in a job's life, as a {@link TaskPlugin} or {@link TaskMiddleware} sees it: being enqueued, or being
 * performed by a worker. Implemented by the task processor.
 *
 * @since 1.0
 */
@ProviderType
public interface TaskEvent {

    /** The job: task name, queue and args. */
    Job job();

    /** The job's params ({@code args[0]}), read-only. */
    default Map<String, Object> params() {
        return job().params();
    }

    /** The worker performing the job; {@code null} while enqueuing. */
    String workerName();

    /**
     * This plugin's options for the task ({@link Task#pluginOptions()} under the plugin's name); empty for middleware
     * and for plugins the task gives no options.
     */
    Map<String, Object> options();

    /** After performing: what the job threw, or {@code null} when it succeeded. */
    Throwable error();

    /**
     * After performing: forgets the error, so the job counts as handled and does not go to the failed queue (what
     * {@code Retry} does after enqueuing the job again).
     */
    void clearError();

    /** After performing: what the task returned. */
    Object result();

    /** The queue service, e.g. to enqueue the job again later. */
    TaskQueue tasks();
}
