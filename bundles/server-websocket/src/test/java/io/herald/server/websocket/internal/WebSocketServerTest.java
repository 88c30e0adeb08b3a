package io.herald.server.websocket.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import io.herald.api.Input;
import io.herald.api.Inputs;
import io.herald.api.RequestMetadata;
import io.herald.api.cluster.ClusterBus;
import io.herald.api.spi.ClientInfo;
import io.herald.core.ActionPipeline;
import io.herald.core.internal.cache.LocalCache;
import io.herald.core.internal.cluster.CallHandlers;
import io.herald.core.internal.cluster.ClusterNode;
import io.herald.core.internal.cluster.LoopbackTransport;
import io.herald.core.internal.connections.ConnectionHub;
import io.herald.core.json.HeraldJson;

import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The WebSocket server on a real Jetty with real WebSocket clients (the JDK's), the core's real pipeline and chat
 * rooms: Actionhero's protocol, and what bad clients get.
 */
class WebSocketServerTest {

    /** A WebSocket client that keeps what it receives, and how it was closed. */
    static class Client implements WebSocket.Listener {
        final BlockingQueue<Map<String, Object>> received = new LinkedBlockingQueue<>();
        final CompletableFuture<Integer> closed = new CompletableFuture<>();
        private final StringBuilder partial = new StringBuilder();
        WebSocket socket;

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                try {
                    @SuppressWarnings("unchecked")
                    Map<String, Object> message = HeraldJson.mapper().readValue(partial.toString(), Map.class);
                    received.add(message);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                partial.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closed.complete(statusCode);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closed.completeExceptionally(error);
        }

        Map<String, Object> next() throws InterruptedException {
            Map<String, Object> message = received.poll(10, TimeUnit.SECONDS);
            if (message == null) {
                throw new AssertionError("nothing received within 10 s");
            }
            return message;
        }

        void send(String text) {
            socket.sendText(text, true).join();
        }
    }

    private final LoopbackTransport loopback = new LoopbackTransport();
    private Server jetty;
    private ClusterNode bus;
    private ConnectionHub hub;
    private WebSocketServer server;
    private int port;

    private void start(Map<String, Object> config) throws Exception {
        AtomicReference<ClusterBus> busRef = new AtomicReference<>();
        LocalCache cache = new LocalCache(new LocalCache.Store(System::currentTimeMillis), "ws-test", HeraldJson.mapper());
        hub = new ConnectionHub(busRef::get, () -> cache);
        CallHandlers handlers = new CallHandlers();
        bus = new ClusterNode(new ClusterNode.Settings("ws-node", "ws-token", Duration.ofMillis(200), Duration.ofSeconds(3)),
                HeraldJson.mapper(), handlers, hub::holds);
        busRef.set(bus);
        bus.start(loopback);
        hub.clusterHandlers().forEach(handlers::add);
        bus.subscribe(ConnectionHub.CHAT_CHANNEL, hub::deliver);
        ActionPipeline pipeline = ActionPipeline.builder()
                .action(new io.herald.api.Action() {
                    @Override
                    public Inputs inputs() {
                        return Inputs.of(Input.required("message"), Input.optional("token"));
                    }

                    @Override
                    public Object run(io.herald.api.ActionContext context) {
                        return Map.of("message", context.param("message"), "token", String.valueOf(context.param("token")),
                                "via", context.connection().type());
                    }
                }, Map.of("herald.action.name", "echo"))
                .build();
        server = new WebSocketServer(WebSocketSettings.read(config), new Events(() -> pipeline, () -> hub, () -> null), () -> hub);
        jetty = new Server();
        ServerConnector connector = new ServerConnector(jetty);
        connector.setHost("127.0.0.1");
        jetty.addConnector(connector);
        Handler upgrade = server.handler();
        jetty.setHandler(new Handler.Wrapper(upgrade) {
            @Override
            public boolean handle(Request request, Response response, Callback callback) throws Exception {
                // what the web server's ExtensionHandlers hand over
                request.setAttribute(ClientInfo.ATTRIBUTE, new ClientInfo("203.0.113.9", 5555, "browser-fp",
                        RequestMetadata.of(Map.of("cookie", List.of("sessionID=browser-fp")), Map.of("sessionID", "browser-fp"), false)));
                return super.handle(request, response, callback);
            }
        });
        jetty.start();
        port = connector.getLocalPort();
    }

    private Client connect() {
        Client client = new Client();
        client.socket = HttpClient.newHttpClient().newWebSocketBuilder()
                .buildAsync(URI.create("ws://127.0.0.1:" + port + "/ws"), client).join();
        return client;
    }

    @AfterEach
    void stop() throws Exception {
        if (jetty != null) {
            jetty.stop();
        }
        if (bus != null) {
            bus.stop();
        }
    }

    @Test
    void a_client_is_welcomed_calls_actions_with_its_message_id_and_chats() throws Exception {
        start(Map.of());
        Client ann = connect();
        Map<String, Object> welcome = ann.next();
        assertEquals("api", welcome.get("context"));
        assertEquals(WebSocketServer.WELCOME, welcome.get("welcome"));
        assertEquals("browser-fp", welcome.get("fingerprint"), "the web server's fingerprint");

        ann.send("{\"event\":\"action\",\"params\":{\"action\":\"echo\",\"message\":\"hi\"},\"messageId\":7}");
        Map<String, Object> response = ann.next();
        assertEquals(Map.of("message", "hi", "token", "null", "via", "websocket", "context", "response", "messageId", 7),
                response);
        ann.send("{\"event\":\"action\",\"params\":{\"action\":\"echo\"},\"messageId\":8}");
        assertEquals("message is a required parameter for this action", ann.next().get("error"));

        ann.send("{\"event\":\"detailsView\",\"messageId\":9}");
        @SuppressWarnings("unchecked")
        Map<String, Object> details = (Map<String, Object>) ann.next().get("data");
        assertEquals("203.0.113.9", details.get("remoteIP"));
        assertEquals("websocket", details.get("type"));

        hub.create("lobby");
        Client bob = connect();
        bob.next();
        ann.send("{\"event\":\"roomAdd\",\"room\":\"lobby\",\"messageId\":10}");
        assertEquals("OK", ann.next().get("status"));
        bob.send("{\"event\":\"roomAdd\",\"room\":\"lobby\"}");
        assertEquals("OK", bob.next().get("status"));
        ann.send("{\"event\":\"say\",\"room\":\"lobby\",\"message\":\"hello bob\",\"messageId\":11}");
        for (Client client : List.of(ann, bob)) {
            Map<String, Object> message = client.next();
            if ("response".equals(message.get("context"))) {
                message = client.next(); // ann's OK for the say may come first or second
            }
            assertEquals("user", message.get("context"), message.toString());
            assertEquals("lobby", message.get("room"));
            assertEquals("hello bob", message.get("message"));
            assertEquals(welcome.get("id"), message.get("from"));
        }
        ann.send("{\"event\":\"roomView\",\"room\":\"lobby\",\"messageId\":12}");
        Map<String, Object> view = ann.next();
        while (!Integer.valueOf(12).equals(view.get("messageId"))) {
            view = ann.next();
        }
        assertEquals(2, ((Map<?, ?>) view.get("data")).get("membersCount"));
    }

    @Test
    void non_ascii_and_fragmented_messages_are_read_whole() throws Exception {
        start(Map.of());
        Client client = connect();
        client.next();
        client.send("{\"event\":\"action\",\"params\":{\"action\":\"echo\",\"message\":\"h\u00e9llo \u2603 \ud83d\ude00\"}}");
        assertEquals("h\u00e9llo \u2603 \ud83d\ude00", client.next().get("message"), "UTF-8 beyond ASCII, both ways");
        client.socket.sendText("{\"event\":\"action\",\"params\":{\"action\":", false).join();
        client.socket.sendText("\"echo\",\"message\":\"in two frames\"}}", true).join();
        assertEquals("in two frames", client.next().get("message"));
    }

    @Test
    void bad_input_gets_an_error_and_the_connection_stays() throws Exception {
        start(Map.of());
        Client client = connect();
        client.next();
        client.send("{\"event\":");
        assertTrue(String.valueOf(client.next().get("error")).startsWith("malformed message: "));
        client.send("[1,2]");
        assertEquals("malformed message: it must be a JSON object", client.next().get("error"));
        client.send("{\"event\":\"action\",\"params\":{\"action\":\"echo\",\"message\":1e999999999}}");
        assertEquals("malformed message: a number is too large (beyond the range of a double)", client.next().get("error"));
        client.send("{\"event\":\"teleport\"}");
        assertEquals("malformed message: unknown event teleport", client.next().get("error"));
        client.send("{\"event\":\"roomAdd\",\"room\":\"" + "r".repeat(300) + "\"}");
        assertEquals("a room name may have at most 200 characters", client.next().get("error"));
        client.socket.sendBinary(ByteBuffer.wrap(new byte[] {1, 2, 3}), true).join();
        assertEquals("malformed message: binary messages are not accepted: send JSON as text", client.next().get("error"));
        client.send("{\"event\":\"action\",\"params\":{\"action\":\"echo\",\"message\":\"still here\"}}");
        assertEquals("still here", client.next().get("message"));
        assertFalse(client.closed.isDone());
    }

    @Test
    void a_message_too_large_closes_with_1009_and_a_flood_is_closed_with_1008() throws Exception {
        start(Map.of("maxMessageSize", 1024, "maxMessagesPerSecond", 5));
        Client large = connect();
        large.next();
        large.send("{\"event\":\"action\",\"params\":{\"message\":\"" + "x".repeat(2000) + "\"}}");
        assertEquals(1009, large.closed.get(10, TimeUnit.SECONDS));

        Client flood = connect();
        flood.next();
        for (int i = 0; i < 20 && !flood.closed.isDone(); i++) {
            try {
                flood.send("{\"event\":\"detailsView\"}");
            } catch (CompletionException closedMeanwhile) {
                break;
            }
        }
        assertEquals(1008, flood.closed.get(10, TimeUnit.SECONDS));
        Client other = connect();
        assertEquals("api", other.next().get("context"), "other clients are unaffected");
    }

    @Test
    void past_max_connections_an_upgrade_is_refused() throws Exception {
        start(Map.of("maxConnections", 1));
        Client first = connect();
        first.next();
        CompletionException refused = assertThrows(CompletionException.class, this::connect);
        assertEquals(503, ((java.net.http.WebSocketHandshakeException) refused.getCause()).getResponse().statusCode());
        first.socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").join();
        first.closed.get(10, TimeUnit.SECONDS);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (server.openCount() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertEquals("api", connect().next().get("context"), "a place came free");
    }

    @Test
    void a_client_that_stops_reading_is_closed_once_too_much_waits_for_it() throws Exception {
        start(Map.of("maxPendingMessages", 5));
        Client reader = connect();
        Map<String, Object> welcome = reader.next();
        // The JDK client stops reading from the socket when the listener asks for no more messages.
        Client stalled = new Client() {
            private boolean first = true;

            @Override
            public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                if (first && last) {
                    first = false;
                    received.add(Map.of("welcome", "seen"));
                }
                return null; // no request(1): nothing more is read
            }
        };
        stalled.socket = HttpClient.newHttpClient().newWebSocketBuilder()
                .buildAsync(URI.create("ws://127.0.0.1:" + port + "/ws"), stalled).join();
        stalled.next();
        assertEquals(2, server.openCount());
        io.herald.api.Connection slow = hub.local().stream()
                .filter(c -> !c.id().equals(welcome.get("id"))).findFirst().orElseThrow();
        String chunk = "x".repeat(60_000);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        int sent = 0;
        while (slow.send(Map.of("chunk", chunk)) && System.nanoTime() < deadline) {
            sent++;
        }
        assertTrue(sent < 10_000, "the server stopped queueing for the stalled client after " + sent + " messages");
        while (server.openCount() > 1 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertEquals(1, server.openCount(), "the stalled client was closed after " + sent + " messages");
        reader.send("{\"event\":\"detailsView\",\"messageId\":3}");
        assertEquals("OK", reader.next().get("status"), "the other client is unaffected");
    }
}
