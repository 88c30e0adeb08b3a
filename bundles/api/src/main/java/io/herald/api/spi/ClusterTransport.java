package io.herald.api.spi;

import java.util.function.Consumer;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Carries the cluster bus's messages between nodes: opaque byte arrays, sent to every node. The core's
 * {@link io.herald.api.cluster.ClusterBus} does everything else (signing, channels, calls, membership) on top of the
 * highest-ranked transport service, and switches when a higher-ranked one appears.
 *
 * <pre>
 *   ClusterBus (core) ── send(bytes) ──▶ ClusterTransport ══ network ══▶ every node's receivers (this one's too)
 * </pre>
 *
 * <p>The core publishes an in-process transport (this JVM only) with {@code service.ranking} -1000, the embedded
 * default; the Redis bundle publishes one over Redis pub/sub with a higher ranking.
 *
 * <p>A transport need not be reliable: messages may be lost while it is down (delivery is at most once). It must not
 * alter them: the bus drops any message whose bytes changed, since their signature no longer verifies.
 *
 * @since 1.1
 */
@ConsumerType
public interface ClusterTransport {

    /**
     * Sends a message to every node, this one included. May return before delivery.
     *
     * @throws RuntimeException when the message cannot be sent (the transport's connection is down, say); the bus
     *         reports it to its caller as a {@link io.herald.api.cluster.ClusterException}
     */
    void send(byte[] message);

    /**
     * Starts delivering every message sent by any node to {@code receiver}, until the returned handle is closed. May be
     * called several times; each receiver gets every message. The receiver is quick and thread-safe (the bus only
     * queues the bytes), so the transport may call it from its own I/O thread.
     */
    AutoCloseable receive(Consumer<byte[]> receiver);

    /** What this transport is, for logs and the {@code status} action, e.g. {@code in-process} or {@code redis subscriber@10.0.0.5:6379}. */
    String describe();
}
