package io.herald.middleware.auth.internal;

import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Counts failed authentications per remote address in a fixed window; past the limit, the address is refused until
 * its window ends, whatever credentials it presents (a guessing client learns nothing more). The table is bounded:
 * expired windows are swept once it grows past {@link #SWEEP_ABOVE} addresses.
 */
final class FailedAttempts {

    static final int SWEEP_ABOVE = 10_000;

    private static final class Window {
        final long startMillis;
        int failures;

        Window(long startMillis) {
            this.startMillis = startMillis;
        }
    }

    private final Map<String, Window> windows = new ConcurrentHashMap<>();
    private final int limit;
    private final long windowMillis;
    private final LongSupplier clock;

    FailedAttempts(int limit, long windowMillis, LongSupplier clock) {
        this.limit = limit;
        this.windowMillis = windowMillis;
        this.clock = clock;
    }

    /** Seconds until {@code address} may try again, or 0 when it may now. */
    long blockedSeconds(String address) {
        Window window = windows.get(address);
        if (window == null) {
            return 0;
        }
        synchronized (window) {
            long remaining = window.startMillis + windowMillis - clock.getAsLong();
            if (remaining <= 0) {
                windows.remove(address, window);
                return 0;
            }
            return window.failures >= limit ? (remaining + 999) / 1000 : 0;
        }
    }

    /** Counts a failure; returns whether this one reached the limit (the address is now refused). */
    boolean fail(String address) {
        long now = clock.getAsLong();
        if (windows.size() > SWEEP_ABOVE) {
            sweep(now);
        }
        while (true) {
            Window window = windows.computeIfAbsent(address, a -> new Window(now));
            synchronized (window) {
                if (window.startMillis + windowMillis <= now) {
                    windows.remove(address, window);
                    continue;
                }
                window.failures++;
                return window.failures == limit;
            }
        }
    }

    int addresses() {
        return windows.size();
    }

    private void sweep(long now) {
        for (Iterator<Window> it = windows.values().iterator(); it.hasNext();) {
            if (it.next().startMillis + windowMillis <= now) {
                it.remove();
            }
        }
    }
}
