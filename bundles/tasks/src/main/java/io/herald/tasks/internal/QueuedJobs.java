package io.herald.tasks.internal;

import io.herald.api.spi.TaskQueueLength;
import io.herald.tasks.internal.store.ResqueStore;

/**
 * The jobs waiting in every queue of the store in use, for the {@code status} action's
 * {@code resqueTotalQueueLength} and the {@code tasks} health entry's {@code queued}: node-resque's
 * {@code queue.queues()} then {@code queue.length(q)} for each, as Actionhero's {@code task.details()} gives them to
 * its {@code status} action. Asked for on request only; one round trip to Redis for the names and one per queue.
 */
final class QueuedJobs implements TaskQueueLength {

    private final TaskProcessor processor;

    QueuedJobs(TaskProcessor processor) {
        this.processor = processor;
    }

    /** Reads the store the processor uses now (Redis, or the in-process store), which may change while it runs. */
    @Override
    public long totalQueueLength() {
        return total(processor.store());
    }

    static long total(ResqueStore store) {
        long queued = 0;
        for (String queue : store.queues()) {
            queued += store.length(queue);
        }
        return queued;
    }
}
