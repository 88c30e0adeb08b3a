package io.herald.api.spi;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * How the core reaches the client of a stateful connection: implemented by its transport (a WebSocket session, a TCP
 * socket), handed over in {@link TransportConnection#stateful}.
 *
 * @since 1.5
 */
@ConsumerType
public interface ClientChannel {

    /**
     * Queues a message for the client, written as the transport writes messages. Must not block: a client that reads
     * too slowly is the transport's to bound (and to close).
     *
     * @return false when the connection is closed or its queue is full
     */
    boolean send(Object message);

    /** Closes the connection after telling the client {@code reason}. Closing twice does nothing. */
    void close(String reason);
}
