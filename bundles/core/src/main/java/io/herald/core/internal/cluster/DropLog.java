package io.herald.core.internal.cluster;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

import org.slf4j.Logger;

/**
 * Logs dropped cluster messages, one line each, but at most one line per interval: a node flooding the channel with
 * forged messages must not flood the log too. The lines that were held back are counted in the next one.
 */
final class DropLog {

    static final long INTERVAL_MILLIS = 10_000;

    private final Logger log;
    private final LongSupplier clockMillis;
    private final AtomicLong dropped = new AtomicLong();
    private long lastLoggedAt;
    private boolean loggedOnce;
    private long heldBack;

    DropLog(Logger log, LongSupplier clockMillis) {
        this.log = log;
        this.clockMillis = clockMillis;
    }

    void dropped(String claimedSender, String reason) {
        dropped.incrementAndGet();
        long held;
        synchronized (this) {
            long now = clockMillis.getAsLong();
            if (loggedOnce && now - lastLoggedAt < INTERVAL_MILLIS) {
                heldBack++;
                return;
            }
            loggedOnce = true;
            lastLoggedAt = now;
            held = heldBack;
            heldBack = 0;
        }
        if (held == 0) {
            log.warn("dropped a cluster message claiming to come from {}: {}", claimedSender, reason);
        } else {
            log.warn("dropped a cluster message claiming to come from {}: {} ({} more dropped in the {} s before, not logged)",
                    claimedSender, reason, held, INTERVAL_MILLIS / 1000);
        }
    }

    /** How many messages were dropped since this node started. */
    long count() {
        return dropped.get();
    }
}
