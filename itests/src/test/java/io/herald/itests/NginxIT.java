package io.herald.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.herald.testing.redis.RedisServer;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The system's nginx in front of the built distribution with the nginx configuration it ships
 * ({@code nginx/herald.conf}), to a node listening on a unix socket ({@code PORT=<home>/herald.sock}), as Actionhero's
 * deployment guide sets it up: an action over HTTP with the client's address forwarded, and a WebSocket client that
 * calls an action, chats in a room, and across a restart of the node reconnects through nginx, joins its room again
 * (kept in Redis) and chats on.
 */
class NginxIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration START = Duration.ofSeconds(60);
    /**
     * The only TCP proxy the node trusts: an address of TEST-NET-1 (RFC 5737), nobody here. So the loopback client of
     * this test is no trusted proxy, and forwarded headers are believed only because nginx comes over the unix socket.
     */
    private static final String NO_TCP_PROXY = "192.0.2.1";

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    Path work;

    @Test
    void nginx_with_the_shipped_config_proxies_http_and_websocket_to_a_unix_socket_and_a_client_reconnects_across_a_restart()
            throws Exception {
        NginxServer.binary(); // fails at once, naming .ci/run, when nginx is missing
        Path home = HeraldProcess.newHome();
        Path socket = home.resolve("herald.sock");
        HeraldProcess first = null;
        HeraldProcess second = null;
        try (RedisServer redis = RedisServer.start(); NginxServer nginx = NginxServer.start(work.resolve("nginx"), socket)) {
            Map<String, String> env = environment(redis, socket);
            first = HeraldProcess.startIn(home, env);
            awaitThroughNginx(first, nginx);

            // HTTP: nginx appends the address it got the request from to the client's X-Forwarded-For. Herald takes
            // the right-most entry that is no trusted proxy: nginx's, not the one the client wrote.
            HttpResponse<String> status = get(nginx, "/api/status", "X-Forwarded-For", "203.0.113.9");
            assertEquals(200, status.statusCode(), status.body());
            JsonNode requester = JSON.readTree(status.body()).path("requesterInformation");
            assertEquals("127.0.0.1", requester.path("remoteIP").asText(), status.body());
            assertTrue(Files.readString(nginx.prefix.resolve("logs/access.log")).contains("\"GET /api/status HTTP/1.1\" 200"),
                    "the answer came through nginx");
            // Request ids: nginx's own ($request_id, 32 hex digits) when the client sent none, else the client's.
            String made = status.headers().firstValue("X-Request-Id").orElse("");
            assertTrue(made.matches("[0-9a-f]{32}"), "nginx's $request_id, not one Herald made: " + made);
            assertEquals("client-id-7", get(nginx, "/api/status", "X-Request-Id", "client-id-7").headers()
                    .firstValue("X-Request-Id").orElse(""));

            try (ReconnectingWebSocket client = new ReconnectingWebSocket(
                    URI.create("ws://127.0.0.1:" + nginx.port + "/ws"))) {
                JsonNode welcome = client.next(m -> m.has("welcome"));
                String firstId = welcome.path("id").asText();

                client.send("{\"event\":\"action\",\"params\":{\"action\":\"status\"},\"messageId\":1}");
                JsonNode answer = client.next(m -> m.path("messageId").asInt() == 1);
                assertEquals("response", answer.path("context").asText(), answer.toString());
                assertFalse(answer.has("error"), answer.toString());
                client.send("{\"event\":\"detailsView\",\"messageId\":2}");
                JsonNode details = client.next(m -> m.path("messageId").asInt() == 2);
                assertEquals("127.0.0.1", details.path("data").path("remoteIP").asText(),
                        "the upgrade's forwarded address: " + details);

                HttpResponse<String> created = get(nginx, "/api/createChatRoom?name=lobby",
                        "X-API-Key", HeraldProcess.ADMIN_SECRET);
                assertEquals(200, created.statusCode(), created.body());
                client.join("lobby", 3);
                assertEquals("OK", client.next(m -> m.path("messageId").asInt() == 3).path("status").asText());
                client.send("{\"event\":\"say\",\"room\":\"lobby\",\"message\":\"before the restart\"}");
                JsonNode heard = client.next(m -> "user".equals(m.path("context").asText())
                        && "before the restart".equals(m.path("message").asText()));
                assertEquals(firstId, heard.path("from").asText());

                // The node stops (SIGTERM: it closes its WebSocket connections, nginx's tunnels close with them) and
                // a new one starts in the same home on the same socket. Meanwhile nginx answers the client's
                // reconnection attempts with 502, and the client keeps trying.
                first.signal("TERM");
                assertEquals(0, first.awaitExit(Duration.ofSeconds(30)), first.output());
                assertFalse(Files.exists(socket), "a node that stops removes its socket");
                second = HeraldProcess.startIn(home, env);
                awaitThroughNginx(second, nginx);

                String secondId = client.next(m -> m.has("welcome")).path("id").asText();
                assertNotEquals(firstId, secondId, "a new connection, to the new node");
                JsonNode rejoined = client.next(m -> "rejoin:lobby".equals(m.path("messageId").asText()));
                assertEquals("OK", rejoined.path("status").asText(),
                        "the room outlived the node in Redis, no one created it again: " + rejoined);
                client.send("{\"event\":\"say\",\"room\":\"lobby\",\"message\":\"after the restart\"}");
                JsonNode heardAgain = client.next(m -> "user".equals(m.path("context").asText())
                        && "after the restart".equals(m.path("message").asText()));
                assertEquals(secondId, heardAgain.path("from").asText());
                assertFalse(client.closes.isEmpty(), "the stopping node closed the connection");
            }

            HttpResponse<String> again = get(nginx, "/api/status", "X-Forwarded-For", "203.0.113.9");
            assertEquals(200, again.statusCode(), again.body());
        } finally {
            try {
                if (first != null) {
                    first.stopProcess();
                }
            } finally {
                if (second != null) {
                    second.stopProcess();
                }
                HeraldProcess.deleteTree(home);
            }
        }
    }

    private static Map<String, String> environment(RedisServer redis, Path socket) {
        Map<String, String> env = new HashMap<>();
        env.put("HERALD_TITLE", "nginx-it");
        env.put("HERALD_SERVER_TOKEN", "nginx-it-token");
        env.put("PORT", socket.toString());
        env.put("HERALD_TRUSTED_PROXIES", NO_TCP_PROXY);
        env.put("REDIS_HOST", redis.host());
        env.put("REDIS_PORT", Integer.toString(redis.port()));
        return env;
    }

    /** Waits for the node's start line, then until nginx gets 200 from it (not nginx's 502 while nobody listens). */
    private void awaitThroughNginx(HeraldProcess node, NginxServer nginx) throws Exception {
        node.awaitStartedLine(START);
        long deadline = System.nanoTime() + START.toNanos();
        HttpResponse<String> last = null;
        while (System.nanoTime() < deadline) {
            if (!node.isAlive()) {
                throw new AssertionError("herald exited:\n" + node.output());
            }
            last = get(nginx, "/api/status");
            if (last.statusCode() == 200) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no 200 through nginx: " + (last == null ? "nothing" : last.statusCode() + " " + last.body())
                + "\n" + nginx.logs() + "\n" + node.output());
    }

    /** A GET to nginx with these headers (name, value, ...). */
    private HttpResponse<String> get(NginxServer nginx, String path, String... headers)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + nginx.port + path))
                .timeout(Duration.ofSeconds(10)).GET();
        if (headers.length > 0) {
            request.headers(headers);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
