package io.herald.server.tcp.internal;

import java.util.Map;

import io.herald.api.spi.TransportConnection;

/** What {@link LineProtocol} needs of the connection it serves: its Herald connection, a way to answer, to close, to run. */
interface ClientLink {

    TransportConnection connection();

    /** Queues one message (a JSON line) for the client. */
    void send(Map<String, Object> message);

    /** Queues {@code lastMessage}, then closes the connection once it is written. */
    void closeWith(Map<String, Object> lastMessage);

    /** Runs a blocking task (an action) off the reading thread, counting it as in flight until it returns. */
    void runAction(Runnable task);

    /** Whether the server is stopping: new work is refused. */
    boolean stopping();
}
