/**
 * Background tasks, as Actionhero's tasks on node-resque: a task is a Declarative Services component implementing
 * {@link io.herald.api.task.Task} with a {@link io.herald.api.task.TaskDefinition}; actions, tasks and middleware
 * enqueue and inspect work through the {@link io.herald.api.task.TaskQueue} service.
 *
 * <p>With Redis configured, jobs live in Redis in the Resque / node-resque layout (namespace {@code resque}), so Herald
 * workers and node-resque or Ruby Resque workers share queues. On the embedded default they live in the node.
 *
 * <p>1.1 added {@link io.herald.api.task.TaskQueue#runDelayed}, {@link io.herald.api.task.TaskQueue#recurringTasks}
 * ({@link io.herald.api.task.RecurringTask}) and {@link io.herald.api.task.TaskQueue#forceCleanWorker}, for the queue
 * dashboard.
 *
 * <p>1.2 added {@link io.herald.api.task.TaskQueue#enqueueAll}, many jobs of one task written together.
 *
 * @since 1.0
 */
@org.osgi.annotation.versioning.Version("1.2.0")
package io.herald.api.task;
