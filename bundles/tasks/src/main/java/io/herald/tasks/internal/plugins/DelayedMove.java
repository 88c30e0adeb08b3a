package io.herald.tasks.internal.plugins;

/**
 * The event of a job the scheduler moves from {@code delayed:<timestamp>} to its queue, as {@link DelayQueueLock} must
 * tell it apart: the move is one atomic step after {@code beforeEnqueue}, so the job is still listed at that second
 * while the hooks run (node-resque pops it first), and that very copy does not count.
 */
public interface DelayedMove {

    /** The second the job is being moved from, or {@code null} when the event is not such a move. */
    Long delayedTimestamp();
}
