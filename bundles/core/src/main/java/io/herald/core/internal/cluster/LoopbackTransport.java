package io.herald.core.internal.cluster;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import io.herald.api.spi.ClusterTransport;

import org.osgi.service.component.annotations.Component;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cluster transport of the embedded default: every message sent goes to every receiver in this JVM, which is the
 * whole cluster of a node without Redis. It ranks lowest, so a Redis transport replaces it when installed, and the
 * bus always has a transport. Several bus instances sharing one loopback behave as nodes of one cluster (tests).
 */
@Component(service = ClusterTransport.class,
        property = {"service.ranking:Integer=-1000", "herald.cluster.transport=in-process"})
public final class LoopbackTransport implements ClusterTransport {

    private static final Logger LOG = LoggerFactory.getLogger(LoopbackTransport.class);

    private final List<Consumer<byte[]>> receivers = new CopyOnWriteArrayList<>();

    @Override
    public void send(byte[] message) {
        for (Consumer<byte[]> receiver : receivers) {
            try {
                // A copy each, as a network would deliver: no receiver sees another's changes.
                receiver.accept(message.clone());
            } catch (RuntimeException e) {
                LOG.warn("a receiver of the in-process cluster transport failed", e);
            }
        }
    }

    @Override
    public AutoCloseable receive(Consumer<byte[]> receiver) {
        // A wrapper per call, so one receiver registered twice is closed independently.
        Consumer<byte[]> entry = receiver::accept;
        receivers.add(entry);
        return () -> receivers.remove(entry);
    }

    @Override
    public String describe() {
        return "in-process";
    }
}
