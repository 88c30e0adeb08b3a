package io.herald.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.herald.testing.redis.RedisServer;

import org.junit.jupiter.api.Test;

/**
 * A session opened on one node is honoured by another sharing its Redis, and a logout on either ends it on both: two
 * distribution processes, one real {@code redis-server}, the fixture's {@code sessionLogin}, {@code editorOnly} and
 * {@code sessionLogout} actions. A WebSocket opened with the session cookie calls the protected action as the user.
 */
class SessionsIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration START = Duration.ofSeconds(60);
    private static final Duration SETTLE = Duration.ofSeconds(30);

    @Test
    void a_session_from_node_a_works_on_node_b_until_a_logout_on_b_ends_it_on_both() throws Exception {
        try (RedisServer redis = RedisServer.start()) {
            Map<String, String> shared = Map.of("REDIS_HOST", redis.host(), "REDIS_PORT", Integer.toString(redis.port()),
                    "HERALD_SERVER_TOKEN", "sessions-it-token");
            try (HeraldProcess a = start("session-a", shared); HeraldProcess b = start("session-b", shared)) {
                a.awaitStarted(START);
                b.awaitStarted(START);
                a.awaitStatus("/api/sessionLogout", 200, SETTLE);
                b.awaitStatus("/api/sessionLogout", 200, SETTLE);

                HttpResponse<String> wrong = a.getAnonymous("/api/sessionLogin?user=ann&password=bad-guess");
                assertEquals(401, wrong.statusCode(), wrong.body());
                HttpResponse<String> login = a.getAnonymous("/api/sessionLogin?user=ann&password=good-" + System.nanoTime());
                assertEquals(200, login.statusCode(), login.body());
                String setCookie = login.headers().allValues("Set-Cookie").stream()
                        .filter(c -> c.startsWith("heraldSession=")).findFirst().orElseThrow();
                assertTrue(setCookie.endsWith("; Path=/; HttpOnly; SameSite=Lax"), setCookie);
                String cookie = setCookie.substring(0, setCookie.indexOf(';'));

                for (HeraldProcess node : List.of(a, b)) {
                    JsonNode me = JSON.readTree(withCookie(node, "/api/editorOnly", cookie).body());
                    assertEquals("ann", me.path("user").asText(), me.toString());
                    assertEquals("session", me.path("via").asText());
                }
                // A WebSocket opened with the browser's cookies carries the session on every call it makes.
                RealtimeIT.WsClient ws = new RealtimeIT.WsClient();
                ws.socket = java.net.http.HttpClient.newHttpClient().newWebSocketBuilder().header("Cookie", cookie)
                        .buildAsync(java.net.URI.create("ws://127.0.0.1:" + b.port + "/ws"), ws)
                        .get(15, java.util.concurrent.TimeUnit.SECONDS);
                ws.next(m -> m.has("welcome"));
                ws.socket.sendText("{\"event\":\"action\",\"params\":{\"action\":\"editorOnly\"},\"messageId\":1}", true);
                JsonNode overWebSocket = ws.next(m -> m.path("messageId").asInt() == 1);
                assertEquals("ann", overWebSocket.path("user").asText(), overWebSocket.toString());
                ws.socket.abort();

                HttpResponse<String> logout = withCookie(b, "/api/sessionLogout", cookie);
                assertEquals(true, JSON.readTree(logout.body()).path("loggedOut").asBoolean(), logout.body());
                assertTrue(logout.headers().allValues("Set-Cookie").contains("heraldSession=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax"),
                        logout.headers().allValues("Set-Cookie").toString());
                for (HeraldProcess node : List.of(a, b)) {
                    HttpResponse<String> after = withCookie(node, "/api/editorOnly", cookie);
                    assertEquals(401, after.statusCode(), "the session ended on every node: " + after.body());
                }
                assertEquals(401, withCookie(a, "/api/editorOnly", "heraldSession=a%0d%0aSet-Cookie:%20admin").statusCode(),
                        "a hostile cookie is a clean 401");
            }
        }
    }

    private static HeraldProcess start(String title, Map<String, String> shared) throws Exception {
        Map<String, String> env = new java.util.HashMap<>(shared);
        env.put("HERALD_TITLE", title);
        return HeraldProcess.startIn(HeraldProcess.newHome(NodeLifecycleIT.FIXTURE_JAR), env);
    }

    private static HttpResponse<String> withCookie(HeraldProcess node, String path, String cookie) throws Exception {
        return node.send(HttpRequest.newBuilder(node.uri(path)).header("Cookie", cookie));
    }
}
