package io.herald.server.web.internal;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * Jetty's pool, with two changes:
 * <ul>
 * <li>a connection resumed from a request's virtual thread stays there ({@link RequestThreads});</li>
 * <li>every thread above the minimum that has been idle for the idle timeout leaves. Jetty lets at most
 * {@code maxEvictCount} threads leave per idle timeout (one by default), and a thread that lost that race waits one
 * more whole idle timeout before it asks again: a pool grown by a burst took many idle timeouts to shrink back.</li>
 * </ul>
 */
final class WebThreadPool extends QueuedThreadPool {

    /**
     * Per pool thread: [0] when its last job ended (System.nanoTime), [1] 1 once it was let go. Jetty asks
     * {@link #evict()} both when a thread's wait for a job timed out and right after each job when no other is queued;
     * only the first is idleness.
     */
    private static final ThreadLocal<long[]> STATE = ThreadLocal.withInitial(() -> new long[2]);

    /** Threads that were let go and have not ended yet. */
    private final AtomicInteger leaving = new AtomicInteger();

    @Override
    public void execute(Runnable job) {
        if (!RequestThreads.keep(job)) {
            super.execute(job);
        }
    }

    @Override
    protected void runJob(Runnable job) {
        try {
            super.runJob(job);
        } finally {
            STATE.get()[0] = System.nanoTime();
        }
    }

    @Override
    protected boolean evict() {
        long[] state = STATE.get();
        // Half the timeout: the wait that timed out took the whole of it; the call right after a job took microseconds.
        if (state[0] != 0 && System.nanoTime() - state[0] < TimeUnit.MILLISECONDS.toNanos(getIdleTimeout()) / 2) {
            return false;
        }
        while (true) {
            int gone = leaving.get();
            if (getThreads() - gone <= getMinThreads()) {
                return false;
            }
            if (leaving.compareAndSet(gone, gone + 1)) {
                state[1] = 1;
                return true;
            }
        }
    }

    @Override
    public Thread newThread(Runnable runnable) {
        return super.newThread(() -> {
            try {
                runnable.run();
            } finally {
                // The pool has counted this thread out by now: it no longer needs counting as leaving.
                if (STATE.get()[1] == 1) {
                    leaving.decrementAndGet();
                }
            }
        });
    }
}
