package io.herald.api;

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
}
