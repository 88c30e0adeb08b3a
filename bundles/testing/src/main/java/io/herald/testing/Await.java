package io.herald.testing;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * Waits for a condition by polling, never for a fixed time: test machines are shared and their speed varies.
 *
 * <pre>{@code
 * Await.until(() -> queue.length("default") == 0, "the queue drained");
 * }</pre>
 *
 * @since 1.0
 */
public final class Await {

    private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    private Await() {
    }

    /**
     * Polls {@code condition} every 10 ms for up to 30 s (long enough for a Redis failover).
     *
     * @throws AssertionError naming {@code what} when it does not become true in time
     */
    public static void until(BooleanSupplier condition, String what) {
        until(condition, DEFAULT_TIMEOUT, what);
    }

    /** Polls {@code condition} every 10 ms for up to {@code timeout}, failing naming {@code what}. */
    public static void until(BooleanSupplier condition, Duration timeout, String what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not true within " + timeout.toSeconds() + " s: " + what);
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for: " + what);
            }
        }
    }
}
