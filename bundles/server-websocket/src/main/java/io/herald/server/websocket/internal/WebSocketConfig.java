package io.herald.server.websocket.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The configuration of the WebSocket server, PID {@value WebSocketComponent#PID} (file
 * {@code config/io.herald.server.websocket.cfg}). Defaults follow Actionhero's websocket server where it has them.
 */
@ObjectClassDefinition(name = "Herald WebSocket server",
        description = "Serves actions and chat over WebSocket on the web server's port (Actionhero's websocket server).")
public @interface WebSocketConfig {

    @AttributeDefinition(description = "false: no WebSocket upgrade is accepted (ENABLE_WEBSOCKET_SERVER).")
    boolean enabled() default true;

    @AttributeDefinition(description = "The path of the upgrade on the web server's port.")
    String path() default "/ws";

    @AttributeDefinition(min = "1", description = "The largest message (or frame) a client may send, in bytes; a larger "
            + "one closes the connection with 1009.")
    int maxMessageSize() default 65536;

    @AttributeDefinition(min = "1", description = "Messages one connection may send per second; past it each gets an "
            + "error, past twice as many the connection is closed.")
    int maxMessagesPerSecond() default 100;

    @AttributeDefinition(min = "1000", description = "Milliseconds a connection may stay silent before it is closed.")
    long idleTimeout() default 300000;

    @AttributeDefinition(min = "1", description = "Connections this node holds at most; more are refused with 503.")
    int maxConnections() default 10000;

    @AttributeDefinition(min = "1", description = "Messages waiting for a slow client at most; past it the connection "
            + "is closed.")
    int maxPendingMessages() default 1000;
}
