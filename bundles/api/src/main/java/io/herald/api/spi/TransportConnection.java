package io.herald.api.spi;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;

import io.herald.api.Connection;

/**
 * A connection as transports create it. Counts the calls pending on it, for the core's per-connection limit on
 * simultaneous actions (Actionhero's {@code simultaneousActions}).
 *
 * @since 1.0
 */
public final class TransportConnection implements Connection {

    private final String id;
    private final String type;
    private final String remoteIp;
    private final int remotePort;
    private final String fingerprint;
    private final AtomicInteger pendingActions = new AtomicInteger();

    public TransportConnection(String id, String type, String remoteIp, int remotePort, String fingerprint) {
        this.id = Objects.requireNonNull(id, "id");
        this.type = Objects.requireNonNull(type, "type");
        this.remoteIp = remoteIp == null ? "" : remoteIp;
        this.remotePort = remotePort;
        this.fingerprint = fingerprint == null ? id : fingerprint;
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public String type() {
        return type;
    }

    @Override
    public String remoteIp() {
        return remoteIp;
    }

    @Override
    public int remotePort() {
        return remotePort;
    }

    @Override
    public String fingerprint() {
        return fingerprint;
    }

    /** Counts one more pending call and returns the new count. */
    public int beginAction() {
        return pendingActions.incrementAndGet();
    }

    /** Counts one call done. */
    public void endAction() {
        pendingActions.decrementAndGet();
    }

    public int pendingActions() {
        return pendingActions.get();
    }

    @Override
    public String toString() {
        return type + " connection " + id + " from " + remoteIp;
    }
}
