package io.herald.tasks.internal.wire;

/**
 * Unix seconds as node-resque computes them: {@code Math.round(ms / 1000)}, rounded, not floored. It is how
 * {@code Queue.enqueueAt} picks the {@code delayed:<ts>} second and how the worker stamps {@code ...:started} and the
 * ping's {@code time} (node-resque's {@code src/core/queue.ts} and {@code src/core/worker.ts}): a job due at 10.6 s
 * lands in second 11 in both.
 */
public final class ResqueSeconds {

    private ResqueSeconds() {
    }

    /** {@code Math.round(epochMillis / 1000)}: halves round up, as in JavaScript (also for negative times). */
    public static long of(long epochMillis) {
        return Math.floorDiv(epochMillis + 500, 1000);
    }
}
