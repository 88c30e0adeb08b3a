package io.herald.itests;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A WebSocket client of Herald's protocol that behaves as Actionhero's browser client does across a server restart: when
 * the connection drops (or cannot be opened) it connects again after a delay that doubles up to a limit, and once
 * welcomed on the new connection it joins again the rooms it was in ({@code roomAdd} with the messageId
 * {@code "rejoin:<room>"}). Everything received, on every connection, lands in one queue.
 */
final class ReconnectingWebSocket implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long FIRST_DELAY_MILLIS = 100;
    private static final long MAX_DELAY_MILLIS = 2000;

    /** Every message received, on any connection, in order. */
    final BlockingQueue<JsonNode> received = new LinkedBlockingQueue<>();
    /** The connection id of every welcome, in order: one per connection the server accepted. */
    final List<String> welcomes = new CopyOnWriteArrayList<>();
    /** {@code "<code> <reason>"} of every close the server sent. */
    final List<String> closes = new CopyOnWriteArrayList<>();

    private final URI uri;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private final Set<String> rooms = ConcurrentHashMap.newKeySet();
    private volatile WebSocket socket;
    private volatile boolean closed;
    /** Guarded by {@code this}. */
    private long delayMillis = FIRST_DELAY_MILLIS;
    private final AtomicInteger failedAttempts = new AtomicInteger();
    /** One send at a time, as java.net.http.WebSocket requires. */
    private final Object sending = new Object();

    ReconnectingWebSocket(URI uri) {
        this.uri = uri;
        timer.execute(this::connect);
    }

    private void connect() {
        if (closed) {
            return;
        }
        http.newWebSocketBuilder().buildAsync(uri, new Listener()).whenComplete((opened, error) -> {
            if (error != null) {
                // nginx answers 502 while no node listens on the socket: the handshake fails, try again later.
                failedAttempts.incrementAndGet();
                reconnectLater();
            }
        });
    }

    private synchronized void reconnectLater() {
        if (closed) {
            return;
        }
        long wait = delayMillis;
        delayMillis = Math.min(delayMillis * 2, MAX_DELAY_MILLIS);
        timer.schedule(this::connect, wait, TimeUnit.MILLISECONDS);
    }

    private void welcomed(WebSocket on, JsonNode welcome) {
        synchronized (this) {
            delayMillis = FIRST_DELAY_MILLIS;
        }
        welcomes.add(welcome.path("id").asText());
        // Off the listener's thread: a send waits for its completion.
        timer.execute(() -> {
            for (String room : rooms) {
                send(on, "{\"event\":\"roomAdd\",\"room\":\"" + room + "\",\"messageId\":\"rejoin:" + room + "\"}");
            }
        });
    }

    private final class Listener implements WebSocket.Listener {
        private final StringBuilder partial = new StringBuilder();

        @Override
        public void onOpen(WebSocket webSocket) {
            socket = webSocket;
            webSocket.request(1);
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                JsonNode message;
                try {
                    message = JSON.readTree(partial.toString());
                } catch (Exception e) {
                    throw new IllegalStateException("not JSON: " + partial, e);
                }
                partial.setLength(0);
                if (message.has("welcome")) {
                    welcomed(webSocket, message);
                }
                received.add(message);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closes.add(statusCode + " " + reason);
            reconnectLater();
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            // The connection broke without a close (the node or nginx went away): as a close, connect again.
            reconnectLater();
        }
    }

    /** Joins {@code room} now (answered with {@code messageId}) and again on every later connection. */
    void join(String room, int messageId) {
        rooms.add(room);
        send("{\"event\":\"roomAdd\",\"room\":\"" + room + "\",\"messageId\":" + messageId + "}");
    }

    /** Sends on the current connection. */
    void send(String text) {
        WebSocket current = socket;
        if (current == null) {
            throw new IllegalStateException("not connected to " + uri);
        }
        send(current, text);
    }

    private void send(WebSocket on, String text) {
        synchronized (sending) {
            try {
                on.sendText(text, true).get(10, TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new IllegalStateException("cannot send " + text + " to " + uri + ": " + e, e);
            }
        }
    }

    /** The next received message {@code wanted} matches, skipping others; fails after 30 s. */
    JsonNode next(Predicate<JsonNode> wanted) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            JsonNode message = received.poll(100, TimeUnit.MILLISECONDS);
            if (message != null && wanted.test(message)) {
                return message;
            }
        }
        throw new AssertionError("no such message from " + uri + " within 30 s; welcomes " + welcomes + ", closes "
                + closes + ", failed connection attempts " + failedAttempts);
    }

    int failedAttempts() {
        return failedAttempts.get();
    }

    @Override
    public void close() throws InterruptedException {
        closed = true;
        timer.shutdownNow();
        WebSocket current = socket;
        if (current != null) {
            current.abort();
        }
        timer.awaitTermination(10, TimeUnit.SECONDS);
    }
}
