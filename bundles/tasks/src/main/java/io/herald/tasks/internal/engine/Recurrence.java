package io.herald.tasks.internal.engine;

import java.time.Duration;
import java.util.Map;

import io.herald.api.task.Job;
import io.herald.tasks.internal.plugins.PluginKeys;
import io.herald.tasks.internal.store.ResqueStore;
import io.herald.tasks.internal.wire.Payloads;

/**
 * Actionhero's {@code enqueueRecurrentTask}, run after each run of a recurring task: remove the task's other queued
 * and delayed copies, then schedule the next run {@code frequency} ms from now (a duplicate at that second is no
 * error).
 *
 * <p>Herald removes the copies it means to remove: Actionhero passes no inputs to {@code del}/{@code delDelayed}, which
 * encodes {@code args:[null]} and never matches the {@code args:[{}]} job it enqueued, so duplicates that slipped past
 * the locks (two nodes starting at once, a stale lock cleared) survive there. Here every run collapses them to one.
 * A removed queued copy's {@code QueueLock} lock is dropped with it; left behind it would make the scheduler discard the
 * next run when it moves it to the queue.
 */
final class Recurrence {

    private Recurrence() {
    }

    static void reEnqueue(ResqueTaskQueue tasks, RegisteredTask task) {
        ResqueTaskQueue.call(() -> {
            ResqueStore store = tasks.store();
            Job job = tasks.recurringJob(task);
            String payload = Payloads.encodeJob(job);
            if (store.removeQueued(job.queue(), payload, 0) > 0) {
                store.delete(PluginKeys.queueLock(job));
            }
            store.unschedule(payload);
            return null;
        });
        tasks.enqueueIn(Duration.ofMillis(task.frequency()), task.name(), Map.of(), null, true);
    }
}
