package io.herald.api;

import java.util.Collection;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The client connections of the cluster, as Actionhero's {@code api.connections}: the ones this node holds, and
 * operations on a connection held by any node, carried to its owner through the cluster bus. Implemented by the core.
 *
 * @since 1.2
 */
@ProviderType
public interface Connections {

    /** A connection this node holds, or empty. */
    Optional<Connection> local(String connectionId);

    /** The connections this node holds now. */
    Collection<Connection> local();

    /**
     * Sends a message to a connection on whichever node holds it.
     *
     * @return completes with true when the owner delivered it, false when no node holds that connection (it closed)
     */
    CompletionStage<Boolean> send(String connectionId, Object message);

    /**
     * Closes a connection on whichever node holds it (Actionhero's kick), telling the client why first.
     *
     * @return completes with true when the owner closed it, false when no node holds it
     */
    CompletionStage<Boolean> kick(String connectionId, String reason);
}
