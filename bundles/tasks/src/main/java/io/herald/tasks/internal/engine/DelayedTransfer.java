package io.herald.tasks.internal.engine;

import io.herald.api.task.Job;
import io.herald.tasks.internal.plugins.BuiltInPlugins;
import io.herald.tasks.internal.plugins.PluginKeys;
import io.herald.tasks.internal.store.ResqueStore;
import io.herald.tasks.internal.store.StoreUnavailableException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves one delayed job to its queue: the scheduler does it for every due job, {@link ResqueTaskQueue#runDelayed} for
 * one job an operator runs now. The enqueue hooks run first (node-resque's scheduler runs them when it moves a job), then
 * {@link ResqueStore#transferDelayed} takes the job out of its second and puts it in its queue in one atomic step (a
 * declined job is only taken out, and so dropped, as node-resque drops it); the after-enqueue hooks run last.
 */
public final class DelayedTransfer {

    private static final Logger LOG = LoggerFactory.getLogger(DelayedTransfer.class);

    private DelayedTransfer() {
    }

    /**
     * @param raw the job's bytes as stored at {@code timestamp}
     * @return whether the job left that second for its queue (false: it was no longer there, or a hook declined it)
     * @throws StoreUnavailableException when the store cannot be reached (the job stays delayed)
     */
    public static boolean move(ResqueTaskQueue tasks, ResqueStore store, long timestamp, Job job, String raw) {
        TaskRegistry registry = tasks.registry();
        RegisteredTask task = registry.task(job.taskName());
        HookChain chain = task == null ? HookChain.EMPTY : registry.chainFor(task);
        if (chain.missing() != null) {
            LOG.warn("delayed job of task {} moved to {} without its hooks: {}", job.taskName(), job.queue(),
                    chain.missing());
            chain = HookChain.EMPTY;
        }
        JobEvent event = JobEvent.transferring(job, tasks, timestamp);
        boolean enqueue;
        try {
            enqueue = chain.beforeEnqueue(event);
        } catch (StoreUnavailableException e) {
            throw e; // the job stays delayed; the scheduler's next cycle tries again
        } catch (Exception e) {
            // a hook that throws must not stall the schedule nor lose the job: it is enqueued
            LOG.error("delayed job of task {}: a beforeEnqueue hook failed, the job is enqueued anyway: {}",
                    job.taskName(), e.getMessage(), e);
            enqueue = true;
        }
        if (store.transferDelayed(timestamp, raw, enqueue ? job.queue() : null)) {
            if (enqueue) {
                tasks.jobArrived(job.queue());
                runAfterEnqueue(chain, event);
                return true;
            }
            LOG.debug("delayed job of task {} dropped: {} declined it", job.taskName(), event.declinedBy());
        } else if (enqueue && task != null && task.plugins().contains(BuiltInPlugins.QUEUE_LOCK)) {
            // someone removed the job meanwhile: the lock QueueLock just took guards nothing and would block the
            // next copy for its whole TTL
            store.delete(queueLockKey(task, job));
        }
        return false;
    }

    private static void runAfterEnqueue(HookChain chain, JobEvent event) {
        try {
            chain.afterEnqueue(event);
        } catch (Exception e) {
            LOG.error("task {}: delayed job moved to {}, but an afterEnqueue hook failed: {}", event.job().taskName(),
                    event.job().queue(), e.getMessage(), e);
        }
    }

    private static String queueLockKey(RegisteredTask task, Job job) {
        Object fixed = task.pluginOptions(BuiltInPlugins.QUEUE_LOCK).get("key");
        return fixed != null && !fixed.toString().isEmpty() ? fixed.toString() : PluginKeys.queueLock(job);
    }
}
