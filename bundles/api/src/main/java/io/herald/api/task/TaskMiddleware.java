package io.herald.api.task;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Code that runs around the jobs of every task (global) or of the tasks that name it, as Actionhero's task
 * middleware: {@code preEnqueue}, {@code postEnqueue}, {@code preProcess}, {@code postProcess}. All middleware of a
 * job runs in ascending priority, global before per-task at equal priority, and before the task's plugins.
 *
 * <p>{@code preEnqueue} returning false declines the job ({@link TaskQueue#enqueue} returns false);
 * {@code preProcess} returning false skips it; throwing from {@code preProcess} fails it.
 *
 * @since 1.0
 */
@ConsumerType
public interface TaskMiddleware {

    default boolean preEnqueue(TaskEvent event) throws Exception {
        return true;
    }

    default void postEnqueue(TaskEvent event) throws Exception {
    }

    default boolean preProcess(TaskEvent event) throws Exception {
        return true;
    }

    /** Runs after the job, whether it succeeded or threw ({@link TaskEvent#error()}). */
    default void postProcess(TaskEvent event) throws Exception {
    }
}
