package io.herald.api.spi;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Published by a transport that keeps client connections (WebSocket, TCP...), so the core knows which connections
 * this node holds: {@link io.herald.api.cluster.ClusterBus#callConnectionOwner} runs its handler only on the node
 * where one of these services {@linkplain #holds holds} the connection.
 *
 * @since 1.1
 */
@ConsumerType
public interface LocalConnections {

    /** Whether the connection with this id is open on this node. Called often: keep it a map lookup. */
    boolean holds(String connectionId);
}
