package io.herald.launcher.internal.cluster;

/**
 * How long the supervisor waits before it starts a node again. A node that had been serving and then died is replaced
 * at once (a crash, a {@code kill -9}, an OutOfMemoryError with {@code -XX:+ExitOnOutOfMemoryError}); a node that
 * exits before it is ready (a config typo, a port taken by another program) is started again after 1, 2, 4 ... up to
 * 30 seconds, so a node that cannot start costs a JVM start now and then, not a busy loop. A node that becomes ready
 * resets the count. (Actionhero's cluster restarts a worker that exits after a fixed delay; systemd's
 * {@code RestartSec} with a growing {@code RestartSteps} is the model for the growth.)
 */
final class Backoff {

    static final long FIRST_MILLIS = 1_000;
    static final long MAX_MILLIS = 30_000;

    private int failedStarts;

    /** A node became ready: the next failure is counted from the start. */
    synchronized void started() {
        failedStarts = 0;
    }

    /**
     * @param wasReady whether the node that exited had been ready
     * @return the delay before its replacement starts, in milliseconds
     */
    synchronized long next(boolean wasReady) {
        if (wasReady) {
            failedStarts = 0;
            return 0;
        }
        failedStarts++;
        long delay = FIRST_MILLIS << Math.min(failedStarts - 1, 16);
        return Math.min(delay, MAX_MILLIS);
    }
}
