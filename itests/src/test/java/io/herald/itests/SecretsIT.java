package io.herald.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.Test;

/**
 * Secrets never reach a log: {@code password} and {@code token} params through actions that succeed, fail and throw,
 * through a {@code runAction} job that fails, a session login, API keys good and bad; afterwards none of their values
 * is in the node's output or in any file under its log directory, and {@code resque:failed} shows the failed job's
 * password as {@code [FILTERED]} (the failed queue keeps it for a retry: {@code AdminActionsTest}).
 */
class SecretsIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration START = Duration.ofSeconds(60);
    private static final Duration SETTLE = Duration.ofSeconds(30);

    @Test
    void no_secret_value_reaches_the_output_or_the_log_files() throws Exception {
        List<String> secrets = new ArrayList<>();
        String password = secret(secrets, "pw");
        String token = secret(secrets, "tok");
        String jobPassword = secret(secrets, "jobpw");
        String loginPassword = "good-" + secret(secrets, "login");
        String wrongKey = secret(secrets, "wrongkey");
        secrets.add(HeraldProcess.ADMIN_SECRET);

        Path home = HeraldProcess.newHome(NodeLifecycleIT.FIXTURE_JAR);
        try (HeraldProcess herald = HeraldProcess.startIn(home, Map.of("HERALD_TITLE", "secrets-it"))) {
            herald.awaitStarted(START);
            herald.awaitStatus("/api/secretParams?mode=ok", 200, SETTLE);
            for (String mode : List.of("ok", "fail", "throw")) {
                HttpResponse<String> response = herald.getAnonymous("/api/secretParams?mode=" + mode + "&password=" + password
                        + "&token=" + token);
                assertEquals(Map.of("ok", 200, "fail", 403, "throw", 500).get(mode), response.statusCode(), response.body());
            }
            herald.getAnonymous("/api/unknownAction?password=" + password);

            HttpResponse<String> login = herald.getAnonymous("/api/sessionLogin?user=ann&password=" + loginPassword);
            assertEquals(200, login.statusCode(), login.body());
            String cookie = login.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith("heraldSession="))
                    .findFirst().orElseThrow();
            secrets.add(cookie.substring("heraldSession=".length(), cookie.indexOf(';')));
            herald.getAnonymous("/api/sessionLogin?user=ann&password=" + password);

            assertEquals(401, herald.send(HttpRequest.newBuilder(herald.uri("/api/status")).header("X-API-Key", wrongKey))
                    .statusCode());
            assertEquals(200, herald.get("/api/status").statusCode());

            assertEquals(200, herald.get("/api/enqueueAction?name=secretParams&mode=throw&password=" + jobPassword
                    + "&token=" + token).statusCode());
            JsonNode failed = awaitFailedJob(herald);
            JsonNode args = failed.path("payload").path("args").path(0);
            assertEquals("[FILTERED]", args.path("password").asText(), "status output is filtered: " + failed);
            assertEquals("throw", args.path("mode").asText(), "what is not secret shows: " + failed);

            AuthenticationIT.assertNoSecretIn(home, herald.output(), secrets);
            assertTrue(herald.output().contains("action=secretParams"), "the calls were logged");
            assertTrue(herald.output().contains("password=[FILTERED]"), "with the value filtered");
        }
    }

    private static String secret(List<String> secrets, String prefix) {
        String value = prefix + "-" + UUID.randomUUID().toString().replace("-", "");
        secrets.add(value);
        return value;
    }

    /** The first failed job, once the runAction job has failed. */
    private static JsonNode awaitFailedJob(HeraldProcess herald) throws Exception {
        long deadline = System.nanoTime() + SETTLE.toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode failed = JSON.readTree(herald.get("/api/resque:failed").body()).path("failed");
            if (failed.size() > 0) {
                return failed.get(0);
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the runAction job did not fail within " + SETTLE + ":\n" + herald.output());
    }
}
