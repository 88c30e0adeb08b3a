package io.herald.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.Test;

/**
 * Authentication from the built distribution: the {@code resque:*} admin actions and the details of status answer
 * only to an admin key; a node whose authentication is switched off while it runs refuses them rather than opening
 * them; and neither the keys nor a {@code password} param reach the node's output or its log files.
 */
class AuthenticationIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration START = Duration.ofSeconds(60);
    private static final Duration SETTLE = Duration.ofSeconds(30);
    private static final String READER_SECRET = "reader-" + java.util.UUID.randomUUID();
    private static final String WRONG_SECRET = "wrong-" + java.util.UUID.randomUUID();
    private static final String PASSWORD = "pw-" + java.util.UUID.randomUUID();

    @Test
    void admin_actions_need_the_admin_key_and_fail_closed_when_authentication_stops() throws Exception {
        Path home = HeraldProcess.newHome(NodeLifecycleIT.FIXTURE_JAR);
        // A web node runs no task processors: the queued job stays where the test can see it.
        Map<String, String> env = Map.of("HERALD_TITLE", "auth-it", "HERALD_ROLE", "web",
                "HERALD_API_KEYS", HeraldProcess.ADMIN_KEY + ",viewer:" + READER_SECRET + ":reader");
        try (HeraldProcess herald = HeraldProcess.startIn(home, env)) {
            herald.awaitStarted(START);
            herald.awaitStatus("/api/enqueueAction?name=typedValues", 200, SETTLE);
            assertEquals(1, queueLength(herald));

            HttpResponse<String> anonymous = herald.getAnonymous("/api/resque:delQueue?queue=default");
            assertEquals(401, anonymous.statusCode(), anonymous.body());
            assertEquals("this action requires authentication", JSON.readTree(anonymous.body()).get("error").asText());
            assertEquals("Bearer realm=\"herald\"", anonymous.headers().firstValue("WWW-Authenticate").orElse(null));
            HttpResponse<String> reader = herald.send(HttpRequest.newBuilder(herald.uri("/api/resque:delQueue?queue=default"))
                    .header("Authorization", "Bearer " + READER_SECRET));
            assertEquals(403, reader.statusCode(), reader.body());
            HttpResponse<String> wrong = herald.send(HttpRequest.newBuilder(herald.uri("/api/resque:delQueue?queue=default"))
                    .header("X-API-Key", WRONG_SECRET));
            assertEquals(401, wrong.statusCode(), wrong.body());
            assertEquals("invalid credentials", JSON.readTree(wrong.body()).get("error").asText());
            assertEquals(1, queueLength(herald), "the refused calls left the queue intact");

            JsonNode publicStatus = JSON.readTree(herald.getAnonymous("/api/status").body());
            assertEquals("requires the admin role", publicStatus.get("details").asText());
            assertFalse(publicStatus.has("deployments") || publicStatus.has("problems"), publicStatus.toString());
            assertTrue(JSON.readTree(herald.get("/api/status").body()).has("deployments"), "the admin sees the details");

            // A login-like call with a password param that succeeds and one that fails validation: logged by name only.
            herald.getAnonymous("/api/typedValues?password=" + PASSWORD);
            herald.getAnonymous("/api/enqueueAction?password=" + PASSWORD);

            HttpResponse<String> admin = herald.get("/api/resque:delQueue?queue=default");
            assertEquals(200, admin.statusCode(), admin.body());
            assertEquals(0, queueLength(herald));

            // Switched off while the node runs: the admin actions are refused, not opened.
            Path config = home.resolve("config/io.herald.middleware.auth.cfg");
            String shipped = Files.readString(config);
            Files.writeString(config, shipped.replace("enabled = ${env:ENABLE_AUTHENTICATION:-true}", "enabled = false"));
            HttpResponse<String> closed = herald.awaitStatus("/api/resque:details", 503, SETTLE);
            assertEquals("this action requires authentication, which is not running on this node",
                    JSON.readTree(closed.body()).get("error").asText());
            assertEquals(503, herald.getAnonymous("/api/resque:delQueue?queue=default").statusCode());
            assertEquals(200, herald.getAnonymous("/api/typedValues").statusCode(), "public actions still answer");

            Files.writeString(config, shipped);
            herald.awaitStatus("/api/resque:details", 200, SETTLE);

            assertNoSecretIn(home, herald.output(), List.of(HeraldProcess.ADMIN_SECRET, READER_SECRET, WRONG_SECRET, PASSWORD));
            assertTrue(herald.output().contains("authentication failed from 127.0.0.1 (web connection): an unknown API key"),
                    "a failed authentication is logged, without the key");
        }
    }

    @Test
    void a_client_that_guesses_keys_is_limited_whatever_address_it_claims() throws Exception {
        // Loopback is no trusted proxy here, so the test client is an ordinary client and its X-Forwarded-For is ignored.
        Map<String, String> env = Map.of("HERALD_TITLE", "auth-limit-it", "HERALD_TRUSTED_PROXIES", "10.0.0.0/8");
        try (HeraldProcess herald = HeraldProcess.startIn(HeraldProcess.newHome(), env)) {
            herald.awaitStarted(START);
            for (int i = 0; i < 10; i++) {
                HttpResponse<String> guess = herald.send(HttpRequest.newBuilder(herald.uri("/api/status"))
                        .header("X-API-Key", WRONG_SECRET + i).header("X-Forwarded-For", "198.51.100." + i));
                assertEquals(401, guess.statusCode(), guess.body());
            }
            HttpResponse<String> limited = herald.send(HttpRequest.newBuilder(herald.uri("/api/status"))
                    .header("X-API-Key", HeraldProcess.ADMIN_SECRET).header("X-Forwarded-For", "198.51.100.99"));
            assertEquals(429, limited.statusCode(), limited.body());
            assertTrue(limited.headers().firstValue("Retry-After").isPresent());
            assertEquals(200, herald.getAnonymous("/api/status").statusCode(), "anonymous calls still answer");
            assertTrue(herald.output().contains("127.0.0.1 reached the limit of failed authentications"), herald.output());
        }
    }

    private static int queueLength(HeraldProcess herald) throws Exception {
        HttpResponse<String> details = herald.get("/api/resque:details");
        assertEquals(200, details.statusCode(), details.body());
        return JSON.readTree(details.body()).path("details").path("queues").path("default").path("length").asInt(0);
    }

    /** No secret in the process's output nor in any file under the node's log directory. */
    static void assertNoSecretIn(Path home, String output, List<String> secrets) throws Exception {
        List<String> texts = new ArrayList<>();
        texts.add(output);
        try (Stream<Path> files = Files.walk(home.resolve("log"))) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                texts.add(new String(Files.readAllBytes(file), java.nio.charset.StandardCharsets.ISO_8859_1));
            }
        }
        assertTrue(texts.size() > 1, "the node wrote a log file");
        for (String text : texts) {
            for (String secret : secrets) {
                assertFalse(text.contains(secret), "a secret reached the output or a log file");
            }
        }
    }
}
