package io.herald.server.tcp.internal;

import java.util.concurrent.TimeUnit;

/**
 * Counts one connection's messages per second (a fixed one-second window from its first message). Within the limit a
 * message is accepted; the first one over it is refused with an error for the client; later ones are refused silently
 * (answering each would let the client fill its own outgoing queue); twice the limit in one window closes the
 * connection: a client that keeps sending after being told is flooding, not bursting. Not thread-safe: one connection
 * reads at a time.
 */
final class MessageRate {

    enum Verdict {
        ACCEPT, REFUSE_AND_TELL, REFUSE, CLOSE
    }

    private static final long WINDOW = TimeUnit.SECONDS.toNanos(1);

    private final int limit;
    private long windowStart;
    private int count;
    private boolean started;

    MessageRate(int limit) {
        this.limit = limit;
    }

    Verdict count(long nowNanos) {
        if (!started || nowNanos - windowStart >= WINDOW) {
            started = true;
            windowStart = nowNanos;
            count = 0;
        }
        count++;
        if (count <= limit) {
            return Verdict.ACCEPT;
        }
        if (count == limit + 1) {
            return Verdict.REFUSE_AND_TELL;
        }
        return count > 2 * limit ? Verdict.CLOSE : Verdict.REFUSE;
    }
}
