package io.herald.server.websocket.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.core.JsonProcessingException;

import io.herald.api.Connection;
import io.herald.api.spi.ClientChannel;
import io.herald.api.spi.ClientInfo;
import io.herald.api.spi.ConnectionRegistry;
import io.herald.api.spi.HeraldError;
import io.herald.api.spi.TransportConnection;
import io.herald.core.json.HeraldJson;

import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.Scheduler;
import org.eclipse.jetty.websocket.core.CloseStatus;
import org.eclipse.jetty.websocket.core.CoreSession;
import org.eclipse.jetty.websocket.core.Frame;
import org.eclipse.jetty.websocket.core.FrameHandler;
import org.eclipse.jetty.websocket.core.OpCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One WebSocket client: the transport's error boundary. Text messages (fragmented or not, up to the size limit) are
 * JSON events answered by {@link Events} on the server's executor, so a slow action never stops this connection's
 * reads; what the core pushes (chat, {@code Connections.send}) goes out through {@link #send}. Bad input gets an error
 * message and the connection stays; only a message too large, a flood, or a client too slow to read is closed.
 */
final class ClientSocket implements FrameHandler, ClientChannel {

    private static final Logger LOG = LoggerFactory.getLogger(ClientSocket.class);

    /** How long a client too slow to read gets to take its close frame before its socket is dropped. */
    private static final long ABORT_GRACE_SECONDS = 2;

    /** A close reason fits in a control frame: 123 bytes of UTF-8. */
    private static final int MAX_REASON = 120;

    private final WebSocketServer server;
    private final ClientInfo client;
    private final Executor executor;
    private final Scheduler scheduler;
    private final AtomicInteger pending = new AtomicInteger();
    private final AtomicBoolean closing = new AtomicBoolean();
    private final ByteArrayOutputStream text = new ByteArrayOutputStream();
    private boolean inText;
    private boolean inBinary;
    private long windowStart;
    private int inWindow;
    private volatile CoreSession session;
    private volatile TransportConnection connection;
    /** Whether Jetty reported the connection closed ({@link #onClosed}). */
    private volatile boolean ended;

    ClientSocket(WebSocketServer server, ClientInfo client, Executor executor, Scheduler scheduler) {
        this.server = server;
        this.client = client;
        this.executor = executor;
        this.scheduler = scheduler;
    }

    TransportConnection connection() {
        return connection;
    }

    @Override
    public void onOpen(CoreSession coreSession, Callback callback) {
        session = coreSession;
        connection = TransportConnection.stateful(client.fingerprint() + "-" + UUID.randomUUID(), Connection.WEBSOCKET,
                client.ip(), client.port(), client.fingerprint(), this, client.metadata());
        ConnectionRegistry registry = server.registry();
        try {
            if (registry != null) {
                registry.opened(connection);
            }
        } catch (Exception refused) {
            callback.succeeded();
            send(Map.of("context", "api", "error", String.valueOf(refused.getMessage())));
            close(CloseStatus.POLICY_VIOLATION, String.valueOf(refused.getMessage()));
            return;
        }
        server.opened(this);
        callback.succeeded();
        demand();
        Map<String, Object> welcome = new LinkedHashMap<>();
        welcome.put("welcome", WebSocketServer.WELCOME);
        welcome.put("context", "api");
        welcome.put("id", connection.id());
        welcome.put("fingerprint", connection.fingerprint());
        send(welcome);
    }

    @Override
    public void onFrame(Frame frame, Callback callback) {
        try {
            switch (frame.getOpCode()) {
                case OpCode.TEXT -> {
                    text.reset();
                    inText = true;
                    append(frame);
                }
                case OpCode.CONTINUATION -> {
                    if (inText) {
                        append(frame);
                    } else if (inBinary && frame.isFin()) {
                        inBinary = false;
                    }
                }
                case OpCode.BINARY -> {
                    inBinary = !frame.isFin();
                    if (frame.isFin()) {
                        reply(null, server.events().error(HeraldError.MALFORMED_MESSAGE,
                                "binary messages are not accepted: send JSON as text"));
                    }
                }
                default -> {
                    // PING, PONG, CLOSE: Jetty answers them once the callback completes
                }
            }
        } finally {
            callback.succeeded();
            // Jetty 12.1's core sessions read only on demand: one frame at a time, after this one is handled.
            if (frame.getOpCode() != OpCode.CLOSE) {
                demand();
            }
        }
    }

    /** Asks Jetty for the next frame; one already asked for is not an error. */
    private void demand() {
        try {
            session.demand();
        } catch (java.nio.channels.ReadPendingException alreadyDemanded) {
            LOG.warn("websocket {}: demand was pending already", connection == null ? "?" : connection.id());
        } catch (IllegalStateException inputClosed) {
            LOG.debug("websocket {}: no more frames to demand: {}", connection == null ? "?" : connection.id(),
                    inputClosed.getMessage());
        }
    }

    private void append(Frame frame) {
        ByteBuffer payload = frame.getPayload();
        int length = payload == null ? 0 : payload.remaining();
        if (text.size() + length > server.settings().maxMessageSize()) {
            inText = false;
            text.reset();
            close(CloseStatus.MESSAGE_TOO_LARGE, server.events().format(HeraldError.MESSAGE_TOO_LONG,
                    server.settings().maxMessageSize()));
            return;
        }
        if (frame.isFin() && text.size() == 0) {
            // A message in one frame (nearly all of them): its bytes are taken once, not gathered and copied again.
            inText = false;
            byte[] message = new byte[length];
            if (length > 0) {
                payload.get(message);
            }
            received(message);
            return;
        }
        if (length > 0) {
            byte[] bytes = new byte[length];
            payload.get(bytes);
            text.write(bytes, 0, length);
        }
        if (frame.isFin()) {
            inText = false;
            byte[] message = text.toByteArray();
            text.reset();
            received(message);
        }
    }

    /** A whole text message: counted against the rate limit, then answered off this connection's read thread. */
    private void received(byte[] message) {
        long now = System.nanoTime();
        if (now - windowStart > 1_000_000_000L) {
            windowStart = now;
            inWindow = 0;
        }
        int limit = server.settings().maxMessagesPerSecond();
        if (++inWindow > limit) {
            if (inWindow > 2 * limit) {
                close(CloseStatus.POLICY_VIOLATION, server.events().format(HeraldError.TOO_MANY_MESSAGES, limit));
            } else {
                reply(null, server.events().error(HeraldError.TOO_MANY_MESSAGES, limit));
            }
            return;
        }
        connection.countMessage();
        executor.execute(() -> answer(message));
    }

    private void answer(byte[] bytes) {
        Object messageId = null;
        Map<String, Object> answer;
        try {
            // Strict UTF-8, Herald's JSON limits, no number overflowing to Infinity: the web server's reading.
            Object parsed = HeraldJson.readUntrusted(bytes);
            if (!(parsed instanceof Map<?, ?> message)) {
                answer = server.events().error(HeraldError.MALFORMED_MESSAGE, "it must be a JSON object");
            } else {
                messageId = message.get("messageId");
                answer = server.events().answer(connection, message);
            }
        } catch (JsonProcessingException e) {
            answer = server.events().error(HeraldError.MALFORMED_MESSAGE, HeraldJson.describe(e));
        } catch (IOException e) {
            // Reading a byte array fails only on its content; Jackson reports that as JsonProcessingException above.
            answer = server.events().error(HeraldError.MALFORMED_MESSAGE, "it cannot be read");
        } catch (RuntimeException | LinkageError e) {
            String reference = UUID.randomUUID().toString();
            LOG.error("websocket message on {} failed (reference {})", connection.id(), reference, e);
            answer = server.events().error(HeraldError.INTERNAL_ERROR, reference);
        }
        reply(messageId, answer);
    }

    private void reply(Object messageId, Map<String, Object> answer) {
        Map<String, Object> response = new LinkedHashMap<>(answer);
        response.put("context", "response");
        if (messageId != null) {
            response.put("messageId", messageId);
        }
        send(response);
    }

    @Override
    public boolean send(Object message) {
        CoreSession current = session;
        if (current == null || closing.get() || !current.isOutputOpen()) {
            return false;
        }
        byte[] json;
        try {
            json = HeraldJson.mapper().writeValueAsBytes(message);
        } catch (JsonProcessingException e) {
            LOG.warn("a message for {} cannot be written as JSON: {}", connection.id(), e.getOriginalMessage());
            return false;
        }
        if (pending.incrementAndGet() > server.settings().maxPendingMessages()) {
            pending.decrementAndGet();
            close(CloseStatus.POLICY_VIOLATION, server.events().format(HeraldError.SLOW_CONSUMER,
                    server.settings().maxPendingMessages()));
            // The close frame waits behind what the client does not read: past a grace period the socket is dropped.
            scheduler.schedule(() -> {
                if (!ended) {
                    current.abort();
                }
            }, ABORT_GRACE_SECONDS, TimeUnit.SECONDS);
            return false;
        }
        current.sendFrame(new Frame(OpCode.TEXT).setPayload(ByteBuffer.wrap(json)), Callback.from(pending::decrementAndGet,
                failure -> pending.decrementAndGet()), false);
        return true;
    }

    @Override
    public void close(String reason) {
        close(CloseStatus.NORMAL, reason);
    }

    private void close(int status, String reason) {
        CoreSession current = session;
        if (current != null && closing.compareAndSet(false, true)) {
            String shown = reason == null ? "" : reason;
            if (shown.getBytes(StandardCharsets.UTF_8).length > MAX_REASON) {
                shown = shown.substring(0, Math.min(shown.length(), MAX_REASON / 3));
            }
            current.close(status, shown, Callback.NOOP);
        }
    }

    @Override
    public void onError(Throwable cause, Callback callback) {
        LOG.debug("websocket {}: {}", connection == null ? "(opening)" : connection.id(), cause.toString());
        callback.succeeded();
    }

    @Override
    public void onClosed(CloseStatus closeStatus, Callback callback) {
        closing.set(true);
        ended = true;
        try {
            TransportConnection closed = connection;
            if (closed != null) {
                ConnectionRegistry registry = server.registry();
                if (registry != null) {
                    registry.closed(closed);
                }
                server.closed(this);
            }
        } finally {
            callback.succeeded();
        }
    }
}
