package io.herald.api;

import java.time.Instant;
import java.util.Map;
import java.util.Set;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The client connection an action is called on. For the web transport each request is its own connection;
 * WebSocket and TCP connections live for many calls.
 *
 * @since 1.0
 */
@ProviderType
public interface Connection {

    /** Connection type of the web transport. */
    String WEB = "web";
    /** Connection type of the WebSocket transport. */
    String WEBSOCKET = "websocket";
    /** Connection type of the TCP transport. */
    String TCP = "tcp";
    /** Connection type of the spec helper and of in-process calls. */
    String IN_PROCESS = "inProcess";

    /** Unique in the cluster: {@code <fingerprint>-<uuid>} on the web, as in Actionhero. */
    String id();

    /** {@link #WEB}, {@link #WEBSOCKET}, {@link #TCP}, {@link #IN_PROCESS} or a custom transport's type. */
    String type();

    /** The client's address, taken from {@code X-Forwarded-For} when the transport trusts it. */
    String remoteIp();

    int remotePort();

    /** Identifies one client across connections (the {@code sessionID} cookie on the web). */
    String fingerprint();

    /**
     * Params that persist between the calls of a connection that lives for many (Actionhero's {@code paramAdd}: a TCP
     * client sets {@code paramAdd token=x} once, every later action gets it); modifiable and thread-safe there.
     * Empty and read-only on the web, where each request is its own connection.
     *
     * @since 1.2
     */
    Map<String, Object> params();

    /** The chat rooms this connection is in. @since 1.2 */
    Set<String> rooms();

    /** When the connection opened. @since 1.2 */
    Instant connectedAt();

    /** Messages received from the client so far: requests, actions, verbs. @since 1.2 */
    long messageCount();

    /**
     * Sends a message to the client: a map or a record, written as the transport writes its messages (a JSON text
     * frame on WebSocket, a JSON line on TCP).
     *
     * @return false when the transport cannot push (the web) or the connection is closed
     * @since 1.2
     */
    boolean send(Object message);
}
