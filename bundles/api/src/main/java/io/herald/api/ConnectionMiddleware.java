package io.herald.api;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Code that runs when a connection of a stateful transport (WebSocket, TCP) opens and closes, as Actionhero's
 * connection middleware. Register it as a service with a {@link MiddlewareDefinition} (its {@code name} and
 * {@code priority}; connection middleware is always global). All of it runs in ascending priority.
 *
 * @since 1.2
 */
@ConsumerType
public interface ConnectionMiddleware {

    /**
     * A connection opened. Throwing refuses it: the client gets the exception's message and is disconnected, and the
     * later middleware does not run.
     */
    default void create(Connection connection) throws Exception {
    }

    /** A connection closed (the client left, was kicked or timed out, or the server stops). */
    default void destroy(Connection connection) throws Exception {
    }
}
