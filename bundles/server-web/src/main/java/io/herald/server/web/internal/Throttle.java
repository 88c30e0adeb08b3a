package io.herald.server.web.internal;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Lets one caller through at most once per interval, without locking: the routes file is checked for changes on the
 * request path, so the check must cost a clock read almost every time.
 */
final class Throttle {

    private final long intervalNanos;
    private final LongSupplier nanoClock;
    private final AtomicLong next;

    Throttle(long intervalNanos, LongSupplier nanoClock) {
        this(intervalNanos, nanoClock, false);
    }

    /** @param dueNow whether the first caller may go at once (a log line for the first of many events) */
    Throttle(long intervalNanos, LongSupplier nanoClock, boolean dueNow) {
        this.intervalNanos = intervalNanos;
        this.nanoClock = nanoClock;
        this.next = new AtomicLong(nanoClock.getAsLong() + (dueNow ? 0 : intervalNanos));
    }

    /** True for the one caller that may do the throttled work now. */
    boolean due() {
        long now = nanoClock.getAsLong();
        long due = next.get();
        return now - due >= 0 && next.compareAndSet(due, now + intervalNanos);
    }
}
