package io.herald.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.herald.testing.redis.RedisServer;

import org.junit.jupiter.api.Test;

/**
 * WebSocket and TCP from the built distribution, across two nodes on one Redis: an action each way, params that
 * persist on TCP, a room with a WebSocket member on node A and a TCP member on node B that hear each other, and a kick
 * from node B of the connection node A holds.
 */
class RealtimeIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration START = Duration.ofSeconds(60);

    /** A WebSocket client keeping what it receives as JSON. */
    static final class WsClient implements WebSocket.Listener {
        final BlockingQueue<JsonNode> received = new LinkedBlockingQueue<>();
        final CompletableFuture<String> closed = new CompletableFuture<>();
        private final StringBuilder partial = new StringBuilder();
        WebSocket socket;

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                try {
                    received.add(JSON.readTree(partial.toString()));
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
            closed.complete(statusCode + " " + reason);
            return null;
        }

        /**
         * A client still writing when the server closes may see the connection reset instead of the close frame (TCP
         * drops what it had not read): that is a close too, without the words.
         */
        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closed.complete("reset: " + error);
        }

        JsonNode next(Predicate<JsonNode> wanted) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
            while (System.nanoTime() < deadline) {
                JsonNode message = received.poll(100, TimeUnit.MILLISECONDS);
                if (message != null && wanted.test(message)) {
                    return message;
                }
            }
            throw new AssertionError("no such message within 15 s");
        }
    }

    /** A TCP client reading JSON lines. */
    static final class TcpClient implements AutoCloseable {
        final Socket socket;
        final BufferedReader in;
        final OutputStream out;

        TcpClient(int port) throws Exception {
            socket = new Socket("127.0.0.1", port);
            socket.setSoTimeout(15_000);
            in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            out = socket.getOutputStream();
        }

        void send(String line) throws Exception {
            out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
        }

        JsonNode next(Predicate<JsonNode> wanted) throws Exception {
            while (true) {
                String line = in.readLine();
                if (line == null) {
                    throw new AssertionError("the server closed the connection");
                }
                JsonNode message = JSON.readTree(line);
                if (wanted.test(message)) {
                    return message;
                }
            }
        }

        @Override
        public void close() throws Exception {
            socket.close();
        }
    }

    @Test
    void websocket_and_tcp_members_on_two_nodes_share_a_room_and_one_node_kicks_the_others_client() throws Exception {
        try (RedisServer redis = RedisServer.start()) {
            int tcpA = HeraldProcess.freePort();
            int tcpB = HeraldProcess.freePort();
            try (HeraldProcess a = start("realtime-a", redis, tcpA); HeraldProcess b = start("realtime-b", redis, tcpB)) {
                a.awaitStarted(START);
                b.awaitStarted(START);
                a.awaitStatus("/api/kickConnection?id=none", 200, Duration.ofSeconds(30));

                WsClient ws = new WsClient();
                ws.socket = HttpClient.newHttpClient().newWebSocketBuilder().header("Cookie", "sessionID=browser-1")
                        .buildAsync(URI.create("ws://127.0.0.1:" + a.port + "/ws"), ws).get(15, TimeUnit.SECONDS);
                JsonNode welcome = ws.next(m -> m.has("welcome"));
                assertEquals("browser-1", welcome.path("fingerprint").asText(), "the fingerprint of the browser's HTTP calls");
                String wsId = welcome.path("id").asText();
                ws.socket.sendText("{\"event\":\"action\",\"params\":{\"action\":\"sleep\",\"ms\":1},\"messageId\":1}", true);
                assertEquals(1, ws.next(m -> m.path("messageId").asInt() == 1).path("slept").asInt());

                try (TcpClient tcp = new TcpClient(tcpB)) {
                    tcp.next(m -> m.has("welcome"));
                    tcp.send("paramAdd ms=2");
                    tcp.next(m -> "response".equals(m.path("context").asText()));
                    tcp.send("sleep");
                    assertEquals(2, tcp.next(m -> m.has("slept")).path("slept").asInt(), "the param persisted");

                    HttpResponse<String> created = a.get("/api/createChatRoom?name=lobby");
                    assertEquals(200, created.statusCode(), created.body());
                    ws.socket.sendText("{\"event\":\"roomAdd\",\"room\":\"lobby\",\"messageId\":2}", true);
                    assertEquals("OK", ws.next(m -> m.path("messageId").asInt() == 2).path("status").asText());
                    tcp.send("roomAdd lobby");
                    JsonNode joined = tcp.next(m -> "response".equals(m.path("context").asText()));
                    assertTrue(!joined.has("error"), joined.toString());

                    ws.socket.sendText("{\"event\":\"say\",\"room\":\"lobby\",\"message\":\"hello from A\"}", true);
                    JsonNode heard = tcp.next(m -> "user".equals(m.path("context").asText()));
                    assertEquals("hello from A", heard.path("message").asText());
                    assertEquals(wsId, heard.path("from").asText());
                    tcp.send("say lobby hello from B");
                    assertEquals("hello from B", ws.next(m -> "user".equals(m.path("context").asText())
                            && !m.path("from").asText().equals(wsId)).path("message").asText());

                    HttpResponse<String> kick = b.get("/api/kickConnection?id=" + wsId);
                    assertEquals(200, kick.statusCode(), kick.body());
                    assertEquals(true, JSON.readTree(kick.body()).path("kicked").asBoolean(), kick.body());
                    assertTrue(ws.closed.get(15, TimeUnit.SECONDS).contains("kicked by a test"));
                }
            }
        }
    }

    @Test
    void hostile_clients_get_a_clear_error_or_close_and_the_others_carry_on() throws Exception {
        int tcpPort = HeraldProcess.freePort();
        Map<String, String> env = Map.of("HERALD_TITLE", "realtime-hostile", "ENABLE_TCP_SERVER", "true",
                "TCP_PORT", Integer.toString(tcpPort));
        java.nio.file.Path home = HeraldProcess.newHome(NodeLifecycleIT.FIXTURE_JAR);
        // A low rate, so that the flood is refused however fast this machine reads it.
        java.nio.file.Path wsConfig = home.resolve("config/io.herald.server.websocket.cfg");
        java.nio.file.Files.writeString(wsConfig, java.nio.file.Files.readString(wsConfig)
                .replace("maxMessagesPerSecond = 100", "maxMessagesPerSecond = 20"));
        try (HeraldProcess node = HeraldProcess.startIn(home, env)) {
            node.awaitStarted(START);
            URI ws = URI.create("ws://127.0.0.1:" + node.port + "/ws");
            WsClient calm = new WsClient();
            calm.socket = HttpClient.newHttpClient().newWebSocketBuilder().buildAsync(ws, calm).get(15, TimeUnit.SECONDS);
            calm.next(m -> m.has("welcome"));

            WsClient huge = new WsClient();
            huge.socket = HttpClient.newHttpClient().newWebSocketBuilder().buildAsync(ws, huge).get(15, TimeUnit.SECONDS);
            huge.next(m -> m.has("welcome"));
            huge.socket.sendText("x".repeat(10 * 1024 * 1024), true);
            String hugeClosed = huge.closed.get(30, TimeUnit.SECONDS);
            assertTrue(hugeClosed.startsWith("1009") || hugeClosed.startsWith("reset"), "a 10 MB frame: " + hugeClosed);

            WsClient longRoom = new WsClient();
            longRoom.socket = HttpClient.newHttpClient().newWebSocketBuilder().buildAsync(ws, longRoom).get(15, TimeUnit.SECONDS);
            longRoom.next(m -> m.has("welcome"));
            longRoom.socket.sendText("{\"event\":\"roomAdd\",\"room\":\"" + "r".repeat(1000) + "\",\"messageId\":1}", true);
            assertEquals("a room name may have at most 200 characters",
                    longRoom.next(m -> m.path("messageId").asInt() == 1).path("error").asText());
            longRoom.socket.sendText("{\"event\":\"roomAdd\",\"room\":\"" + "r".repeat(100 * 1024) + "\"}", true);
            String longClosed = longRoom.closed.get(30, TimeUnit.SECONDS);
            assertTrue(longClosed.startsWith("1009") || longClosed.startsWith("reset"), "a 100 KB room name: " + longClosed);

            WsClient flood = new WsClient();
            flood.socket = HttpClient.newHttpClient().newWebSocketBuilder().buildAsync(ws, flood).get(15, TimeUnit.SECONDS);
            flood.next(m -> m.has("welcome"));
            for (int i = 0; i < 10_000 && !flood.closed.isDone(); i++) {
                try {
                    flood.socket.sendText("{\"event\":\"detailsView\"}", true).get(5, TimeUnit.SECONDS);
                } catch (java.util.concurrent.ExecutionException closedMeanwhile) {
                    break;
                }
            }
            // Past the rate the server answers with errors, and closes (1008) once it reads twice the rate in one second;
            // how fast it reads depends on the machine's load, so either is the clear answer asked for.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            boolean refused = false;
            int seen = 0;
            JsonNode last = null;
            while (!refused && !flood.closed.isDone() && System.nanoTime() < deadline) {
                JsonNode message = flood.received.poll(100, TimeUnit.MILLISECONDS);
                if (message != null) {
                    seen++;
                    last = message;
                }
                refused = message != null && message.path("error").asText().startsWith("too many messages");
            }
            assertTrue(refused || flood.closed.getNow("").startsWith("1008") || flood.closed.getNow("").startsWith("reset"),
                    "10,000 messages at once: refused with errors or closed with 1008, " + flood.closed.getNow("open")
                    + "; " + seen + " messages, the last " + last);
            flood.socket.abort();

            try (TcpClient line = new TcpClient(tcpPort)) {
                line.next(m -> m.has("welcome"));
                line.out.write(new byte[1024 * 1024]);
                line.out.flush();
                assertEquals("message is longer than the limit of 65536 bytes", line.next(m -> m.has("error")).path("error").asText(),
                        "a 1 MB line without a newline");
            } catch (java.net.SocketException closedWhileWriting) {
                // the server closed the connection after its error line, while the test was still writing: also a close
            }

            calm.socket.sendText("{\"event\":\"action\",\"params\":{\"action\":\"sleep\",\"ms\":1},\"messageId\":9}", true);
            assertEquals(1, calm.next(m -> m.path("messageId").asInt() == 9).path("slept").asInt(), "the calm client carries on");
            assertEquals(200, node.get("/api/status").statusCode());
        }
    }

    private static HeraldProcess start(String title, RedisServer redis, int tcpPort) throws Exception {
        Map<String, String> env = new HashMap<>();
        env.put("HERALD_TITLE", title);
        env.put("HERALD_SERVER_TOKEN", "realtime-it-token");
        env.put("REDIS_HOST", redis.host());
        env.put("REDIS_PORT", Integer.toString(redis.port()));
        env.put("ENABLE_TCP_SERVER", "true");
        env.put("TCP_PORT", Integer.toString(tcpPort));
        return HeraldProcess.startIn(HeraldProcess.newHome(NodeLifecycleIT.FIXTURE_JAR), env);
    }
}
