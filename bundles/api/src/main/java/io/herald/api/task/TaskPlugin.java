package io.herald.api.task;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * A node-resque style plugin: hooks around enqueuing and performing the jobs of the tasks that name it in
 * {@link TaskDefinition#plugins()}. A hook returning false stops the step: the job is not enqueued
 * ({@code beforeEnqueue}) or not performed ({@code beforePerform}). Hooks run in the order the task lists its plugins.
 *
 * <p>Register one as a service with a {@link TaskPluginDefinition}. Herald brings node-resque's {@code Retry},
 * {@code QueueLock}, {@code JobLock} and {@code DelayQueueLock}, with the same Redis keys.
 *
 * @since 1.0
 */
@ConsumerType
public interface TaskPlugin {

    default boolean beforeEnqueue(TaskEvent event) throws Exception {
        return true;
    }

    default void afterEnqueue(TaskEvent event) throws Exception {
    }

    default boolean beforePerform(TaskEvent event) throws Exception {
        return true;
    }

    /** Runs after the job, whether it succeeded or threw ({@link TaskEvent#error()}). */
    default void afterPerform(TaskEvent event) throws Exception {
    }
}
