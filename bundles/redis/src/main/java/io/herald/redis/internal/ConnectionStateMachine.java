package io.herald.redis.internal;

import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import io.herald.redis.RedisConnection.State;

/**
 * Decides a connection's {@link State} from what its probes and commands observe. It has no clock: every event
 * carries its time, so the rules are tested event by event without waiting.
 *
 * <ul>
 *   <li>Until the first attempt to connect has ended the state is DOWN but not confirmed: callers wait for it.</li>
 *   <li>The first attempt fails: DOWN, confirmed at once. There is no failover to ride out, and a node started against
 *       a wrong host must say so at start (the "bad config" rule).</li>
 *   <li>The server refuses the credentials ({@code WRONGPASS}, {@code NOAUTH}): DOWN at once; retrying cannot help.</li>
 *   <li>CONNECTED and a connection-level failure (probe or command): FAILING_OVER; commands are retried.</li>
 *   <li>FAILING_OVER becomes DOWN only after at least {@value #DOWN_AFTER_FAILURES} consecutive failures that span more
 *       than the retry window. Any success resets the streak, so one slow or failed probe under CPU load, or a probe
 *       that flaps, never confirms DOWN: only Redis unreachable for the whole window does.</li>
 *   <li>FAILING_OVER becomes CONNECTED when a command succeeds, or a probe succeeds and nothing failed for
 *       {@link #QUIET_NANOS} ({@code CLUSTERDOWN} and {@code READONLY} pass {@code PING}).</li>
 *   <li>DOWN becomes CONNECTED when a probe or a command succeeds.</li>
 * </ul>
 *
 * Only a confirmed DOWN makes {@code execute} fail fast ({@link #failFast()}). Thread-safe; changes reach the listener
 * in the order they happened (it runs under the machine's lock, so keep it short: a log line).
 */
final class ConnectionStateMachine {

    /** Consecutive failures, besides the span of the retry window, before FAILING_OVER is confirmed DOWN. */
    static final int DOWN_AFTER_FAILURES = 3;
    /** A probe that succeeds right after a failed command does not end FAILING_OVER: CLUSTERDOWN passes PING. */
    static final long QUIET_NANOS = TimeUnit.MILLISECONDS.toNanos(1000);

    /**
     * A change worth a log line.
     *
     * @param previous the state before
     * @param next the state now
     * @param cause the failure behind it (null for CONNECTED)
     * @param causeOnly true when the state stayed DOWN and only its cause changed
     */
    record Change(State previous, State next, String cause, boolean causeOnly) {
    }

    private final long windowNanos;
    private final Consumer<Change> listener;
    private volatile State state = State.DOWN;
    /** Whether an attempt to connect has ended, successful or not. */
    private volatile boolean settled;
    private volatile String lastError;
    /** The cause the last DOWN line named, so a DOWN that goes on is logged again only when its cause changes. */
    private String downCause;
    private volatile int streak;
    private long streakStartNanos;
    private long lastFailureNanos;

    /**
     * @param retryWindowMillis how long commands are retried; failures must span more than this to confirm DOWN
     * @param listener told every {@link Change}, e.g. to log it
     */
    ConnectionStateMachine(long retryWindowMillis, Consumer<Change> listener) {
        this.windowNanos = TimeUnit.MILLISECONDS.toNanos(retryWindowMillis);
        this.listener = listener;
    }

    State state() {
        return state;
    }

    /** Whether the first attempt to connect has ended; before that, callers wait for it. */
    boolean settled() {
        return settled;
    }

    /** Whether Redis is known to be down, so a command should fail at once rather than hold its caller a window. */
    boolean failFast() {
        return settled && state == State.DOWN;
    }

    /** The cause of the last failure, or null while nothing failed. */
    String lastError() {
        return lastError;
    }

    /** Consecutive failures since the last success, for the status action and tests. */
    int consecutiveFailures() {
        return streak;
    }

    /** A probe, or an attempt to build the client, failed. */
    synchronized Change probeFailed(long nowNanos, String cause, boolean accessDenied) {
        return tell(failed(nowNanos, cause, accessDenied));
    }

    /** A command failed with a connection-level error. */
    synchronized Change commandFailed(long nowNanos, String cause) {
        return tell(failed(nowNanos, cause, false));
    }

    /** A probe succeeded. */
    synchronized Change probeSucceeded(long nowNanos) {
        settled = true;
        streak = 0;
        if (state == State.DOWN
                || (state == State.FAILING_OVER && nowNanos - lastFailureNanos > QUIET_NANOS)) {
            return tell(moveTo(State.CONNECTED, null));
        }
        return null;
    }

    /** A command succeeded: Redis serves, whatever the probe said. */
    Change commandSucceeded(long nowNanos) {
        if (state == State.CONNECTED && streak == 0) {
            // the common case, on every command: no lock
            return null;
        }
        synchronized (this) {
            settled = true;
            streak = 0;
            return state == State.CONNECTED ? null : tell(moveTo(State.CONNECTED, null));
        }
    }

    private Change tell(Change change) {
        if (change != null) {
            listener.accept(change);
        }
        return change;
    }

    private Change failed(long nowNanos, String cause, boolean accessDenied) {
        boolean first = !settled;
        settled = true;
        lastError = cause;
        lastFailureNanos = nowNanos;
        if (streak == 0) {
            streakStartNanos = nowNanos;
        }
        streak++;
        if (accessDenied || first) {
            return down(cause);
        }
        return switch (state) {
            case CONNECTED -> moveTo(State.FAILING_OVER, cause);
            case FAILING_OVER -> streak >= DOWN_AFTER_FAILURES && nowNanos - streakStartNanos > windowNanos
                    ? down(cause) : null;
            case DOWN -> down(cause);
        };
    }

    private Change down(String cause) {
        State previous = state;
        String previousCause = downCause;
        downCause = cause;
        if (previous != State.DOWN) {
            return moveTo(State.DOWN, cause);
        }
        if (previousCause == null) {
            // DOWN since the start, confirmed by the first failed attempt
            return new Change(State.DOWN, State.DOWN, cause, false);
        }
        return cause.equals(previousCause) ? null : new Change(State.DOWN, State.DOWN, cause, true);
    }

    private Change moveTo(State next, String cause) {
        State previous = state;
        state = next;
        if (next == State.DOWN) {
            downCause = cause;
        }
        return new Change(previous, next, cause, false);
    }
}
