package io.herald.tasks.internal.worker;

import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Lets a worker pause after a task storage error and be woken early: when this node enqueues on one of its queues,
 * when the pool sees work waiting, or when it is told to stop. (A worker whose queues are empty parks instead, without
 * a thread.) A semaphore, so a ring before the wait is not lost.
 */
final class Doorbell {

    private final Semaphore permits = new Semaphore(0);

    void ring() {
        if (permits.availablePermits() == 0) {
            permits.release();
        }
    }

    /** Waits up to {@code millis} for a ring. @return whether it rang */
    boolean await(long millis) throws InterruptedException {
        boolean rang = permits.tryAcquire(millis, TimeUnit.MILLISECONDS);
        permits.drainPermits();
        return rang;
    }
}
