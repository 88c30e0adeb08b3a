package io.herald.api.spi;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Where a stateful transport announces its connections to the core: the core runs the connection middleware, makes the
 * connection reachable through {@link io.herald.api.Connections} and the cluster bus, and, when it closes, takes it
 * out of its rooms. Implemented by the core.
 *
 * @since 1.5
 */
@ProviderType
public interface ConnectionRegistry {

    /**
     * A connection opened.
     *
     * @throws Exception when a connection middleware refused it: the transport sends the message and closes
     */
    void opened(TransportConnection connection) throws Exception;

    /** A connection closed, for whatever reason. Calling it for a connection never opened, or twice, does nothing. */
    void closed(TransportConnection connection);
}
