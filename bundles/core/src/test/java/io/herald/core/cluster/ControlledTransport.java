package io.herald.core.cluster;

import java.util.function.Consumer;
import java.util.function.UnaryOperator;

import io.herald.api.spi.ClusterTransport;

/**
 * Wraps one node's transport so a test can cut the node off (as a crash or a network partition would, without any
 * goodbye) or alter what it sends (as an attacker on the wire would).
 */
public final class ControlledTransport implements ClusterTransport {

    private final ClusterTransport delegate;
    private volatile boolean cut;
    private volatile UnaryOperator<byte[]> outgoing = UnaryOperator.identity();

    public ControlledTransport(ClusterTransport delegate) {
        this.delegate = delegate;
    }

    /** Drops everything this node sends and everything sent to it, until {@link #reconnect()}. */
    public void cut() {
        cut = true;
    }

    public void reconnect() {
        cut = false;
    }

    /** Changes every message this node sends from now on; {@link UnaryOperator#identity()} to stop. */
    public void alterOutgoing(UnaryOperator<byte[]> change) {
        outgoing = change;
    }

    /** Sends raw bytes, bypassing the node: what a stranger on the channel can do. */
    public void inject(byte[] raw) {
        delegate.send(raw);
    }

    public ClusterTransport delegate() {
        return delegate;
    }

    @Override
    public void send(byte[] message) {
        if (!cut) {
            delegate.send(outgoing.apply(message));
        }
    }

    @Override
    public AutoCloseable receive(Consumer<byte[]> receiver) {
        return delegate.receive(bytes -> {
            if (!cut) {
                receiver.accept(bytes);
            }
        });
    }

    @Override
    public String describe() {
        return "controlled " + delegate.describe();
    }
}
