package io.herald.api.spi;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import io.herald.api.Connection;
import io.herald.api.RequestMetadata;

/**
 * A connection as transports create it. Counts the calls pending on it, for the core's per-connection limit on
 * simultaneous actions (Actionhero's {@code simultaneousActions}).
 *
 * @since 1.0
 */
public final class TransportConnection implements Connection {

    private final String id;
    private final String type;
    private final String remoteIp;
    private final int remotePort;
    private final String fingerprint;
    private final AtomicInteger pendingActions = new AtomicInteger();
    private final AtomicLong totalActions = new AtomicLong();
    private final AtomicLong messages = new AtomicLong();
    private final Instant connectedAt = Instant.now();
    private final ClientChannel channel;
    private final RequestMetadata metadata;
    private final Map<String, Object> params;
    private final Set<String> rooms;

    /** A connection for one request: no persistent params, no rooms, nothing pushed. */
    public TransportConnection(String id, String type, String remoteIp, int remotePort, String fingerprint) {
        this(id, type, remoteIp, remotePort, fingerprint, null, RequestMetadata.none());
    }

    private TransportConnection(String id, String type, String remoteIp, int remotePort, String fingerprint,
            ClientChannel channel, RequestMetadata metadata) {
        this.id = Objects.requireNonNull(id, "id");
        this.type = Objects.requireNonNull(type, "type");
        this.remoteIp = remoteIp == null ? "" : remoteIp;
        this.remotePort = remotePort;
        this.fingerprint = fingerprint == null ? id : fingerprint;
        this.channel = channel;
        this.metadata = metadata;
        this.params = channel == null ? Map.of() : new ConcurrentHashMap<>();
        this.rooms = channel == null ? Set.of() : ConcurrentHashMap.newKeySet();
    }

    /**
     * A connection that lives for many calls (WebSocket, TCP): persistent params, rooms, and messages pushed through
     * {@code channel}. Announce it to the core's {@link ConnectionRegistry}.
     *
     * @param metadata what the transport knew when it opened (a WebSocket's upgrade request): every call on the
     *     connection carries it, so authentication sees the same cookies and headers
     * @since 1.5
     */
    public static TransportConnection stateful(String id, String type, String remoteIp, int remotePort, String fingerprint,
            ClientChannel channel, RequestMetadata metadata) {
        return new TransportConnection(id, type, remoteIp, remotePort, fingerprint, Objects.requireNonNull(channel, "channel"),
                Objects.requireNonNull(metadata, "metadata"));
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public String type() {
        return type;
    }

    @Override
    public String remoteIp() {
        return remoteIp;
    }

    @Override
    public int remotePort() {
        return remotePort;
    }

    @Override
    public String fingerprint() {
        return fingerprint;
    }

    @Override
    public Map<String, Object> params() {
        return params;
    }

    /** The rooms, modifiable by the core only (it keeps the cluster's view in step). */
    @Override
    public Set<String> rooms() {
        return rooms;
    }

    @Override
    public Instant connectedAt() {
        return connectedAt;
    }

    @Override
    public long messageCount() {
        return messages.get();
    }

    /** Counts a message from the client. @since 1.5 */
    public void countMessage() {
        messages.incrementAndGet();
    }

    @Override
    public boolean send(Object message) {
        return channel != null && channel.send(message);
    }

    /** Whether this connection lives for many calls. @since 1.5 */
    public boolean isStateful() {
        return channel != null;
    }

    /** The channel to the client, or {@code null} for a one-request connection. @since 1.5 */
    public ClientChannel channel() {
        return channel;
    }

    /** What the transport knew of the client when the connection opened. @since 1.5 */
    public RequestMetadata metadata() {
        return metadata;
    }

    /** Counts one more pending call and returns the new count. */
    public int beginAction() {
        totalActions.incrementAndGet();
        return pendingActions.incrementAndGet();
    }

    /** Counts one call done. */
    public void endAction() {
        pendingActions.decrementAndGet();
    }

    public int pendingActions() {
        return pendingActions.get();
    }

    /** Calls made on this connection so far (Actionhero's {@code totalActions}). @since 1.5 */
    public long totalActions() {
        return totalActions.get();
    }

    @Override
    public String toString() {
        return type + " connection " + id + " from " + remoteIp;
    }
}
