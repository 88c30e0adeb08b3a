package io.herald.testing.redis.internal;

import java.time.Duration;
import java.util.function.Supplier;

/**
 * Bounded polling: Redis reaches a state (replica in sync, sentinels agreeing, slots covered) on its own schedule,
 * so tests wait for the state itself, never for a fixed time.
 */
public final class Await {

    private static final long POLL_MILLIS = 50;

    /** A state check; an exception counts as "not yet" (a node may be restarting). */
    @FunctionalInterface
    public interface Check {
        boolean met() throws Exception;
    }

    private Await() {
    }

    /** Waits until {@code check} is met; on timeout throws with {@code what} and the current {@code state}. */
    public static void until(Duration timeout, String what, Check check, Supplier<String> state) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Exception lastError = null;
        while (true) {
            try {
                if (check.met()) {
                    return;
                }
                lastError = null;
            } catch (Exception e) {
                lastError = e;
            }
            if (System.nanoTime() - deadline >= 0) {
                StringBuilder message = new StringBuilder("timed out after ").append(timeout.toMillis())
                        .append(" ms waiting for ").append(what);
                if (lastError != null) {
                    message.append("; last error: ").append(lastError);
                }
                String now = describe(state);
                if (!now.isEmpty()) {
                    message.append("; state: ").append(now);
                }
                throw new IllegalStateException(message.toString(), lastError);
            }
            sleep(POLL_MILLIS);
        }
    }

    /** Waits until {@code check} is met, with no state to report on timeout. */
    public static void until(Duration timeout, String what, Check check) {
        until(timeout, what, check, () -> "");
    }

    public static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for Redis", e);
        }
    }

    private static String describe(Supplier<String> state) {
        try {
            return state.get();
        } catch (RuntimeException e) {
            return "(cannot describe: " + e + ")";
        }
    }
}
