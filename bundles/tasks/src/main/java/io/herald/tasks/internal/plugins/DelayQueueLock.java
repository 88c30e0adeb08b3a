package io.herald.tasks.internal.plugins;

import java.util.List;
import java.util.function.Supplier;

import io.herald.api.task.TaskEvent;
import io.herald.api.task.TaskPlugin;
import io.herald.tasks.internal.store.ResqueStore;
import io.herald.tasks.internal.wire.Payloads;

/**
 * node-resque's {@code DelayQueueLock}: a job is not enqueued while the same job (class, queue, args) is scheduled as a
 * delayed job ({@code timestamps:<job>} not empty).
 *
 * <p>When the scheduler moves a delayed job, node-resque pops it from {@code delayed:<ts>} before enqueuing it, so the
 * check no longer sees it. Herald moves it in one atomic step after the hooks ran (nothing is lost if the scheduler
 * dies in between), so the copy being moved is still listed at that second: it is not counted.
 */
final class DelayQueueLock implements TaskPlugin {

    private final Supplier<ResqueStore> store;

    DelayQueueLock(Supplier<ResqueStore> store) {
        this.store = store;
    }

    @Override
    public boolean beforeEnqueue(TaskEvent event) {
        List<Long> scheduled = store.get().scheduledAt(Payloads.encodeJob(event.job()));
        Long moving = event instanceof DelayedMove move ? move.delayedTimestamp() : null;
        for (Long timestamp : scheduled) {
            if (!timestamp.equals(moving)) {
                return false;
            }
        }
        return true;
    }
}
