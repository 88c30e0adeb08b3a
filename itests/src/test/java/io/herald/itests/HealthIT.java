package io.herald.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.herald.testing.redis.RedisServer;
import io.herald.testing.redis.RespClient;

import org.junit.jupiter.api.Test;

/**
 * The node's health as a load balancer and an operator see it, from the built distribution: {@code /api/health} answers
 * 503 while the node is Unhealthy (here its Redis is down) and 200 again once it recovers; secrets (the server token, the
 * Redis password) appear in no response and no log line; an edit of {@code io.herald.core.cfg} under load applies
 * without restarting the listener or the cluster member.
 */
class HealthIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration START = Duration.ofSeconds(60);
    private static final Duration SETTLE = Duration.ofSeconds(45);
    private static final String TOKEN = "a-token-no-response-may-show-7f3e";
    private static final String PASSWORD = "a-redis-password-no-log-may-show-91c2";

    @Test
    void health_is_503_while_redis_is_down_200_when_it_is_back_and_no_secret_shows() throws Exception {
        try (RedisServer redis = RedisServer.builder().password(PASSWORD).start()) {
            try (HeraldProcess herald = HeraldProcess.start(Map.of("HERALD_TITLE", "health",
                    "HERALD_SERVER_TOKEN", TOKEN, "REDIS_HOST", redis.host(), "REDIS_PORT", Integer.toString(redis.port()),
                    "REDIS_PASSWORD", PASSWORD))) {
                herald.awaitStarted(START);
                HttpResponse<String> healthy = herald.awaitStatus("/api/health", 200, SETTLE);
                assertEquals("Healthy", JSON.readTree(healthy.body()).path("nodeStatus").asText(), healthy.body());

                redis.stop();
                HttpResponse<String> down = herald.awaitStatus("/api/health", 503, SETTLE);
                JsonNode report = JSON.readTree(down.body());
                assertEquals("Unhealthy", report.path("nodeStatus").asText(), down.body());
                assertTrue(report.path("problems").toString().toLowerCase(java.util.Locale.ROOT).contains("redis"), down.body());
                HttpResponse<String> status = herald.get("/api/status");
                assertEquals(200, status.statusCode(), "status keeps Actionhero's shape and answers 200");
                assertEquals("Unhealthy", JSON.readTree(status.body()).path("nodeStatus").asText());

                redis.restart();
                herald.awaitStatus("/api/health", 200, SETTLE);

                for (String path : new String[] {"/api/status", "/api/health", "/api/swagger"}) {
                    String body = herald.get(path).body();
                    assertFalse(body.contains(TOKEN) || body.contains(PASSWORD), path + " shows a secret: " + body);
                }
                assertFalse(herald.output().contains(TOKEN) || herald.output().contains(PASSWORD), "a log line shows a secret");
                try (var logs = Files.walk(herald.home.resolve("log"))) {
                    for (Path file : logs.filter(Files::isRegularFile).toList()) {
                        String text = Files.readString(file);
                        assertFalse(text.contains(TOKEN) || text.contains(PASSWORD), file + " shows a secret");
                    }
                }
            }
        }
    }

    /**
     * Actionhero's {@code status} fields from a web node on a shared Redis whose queues hold jobs nobody works: the
     * project named through the environment, {@code resqueTotalQueueLength} counted on Redis, Unhealthy over
     * {@code maxResqueQueueLength} (Actionhero's variable) while {@code /api/health} still answers 200, the public view
     * unchanged, and a Redis that goes down a problem in the answer, not a hang.
     */
    @Test
    void status_counts_the_jobs_waiting_on_redis_and_is_unhealthy_over_the_maximum_while_health_stays_200()
            throws Exception {
        try (RedisServer redis = RedisServer.start()) {
            try (RespClient client = redis.client()) {
                for (int n = 1; n <= 3; n++) {
                    // what node-resque's Queue.enqueue writes, on a queue no worker of this test takes
                    client.call("RPUSH", "resque:queue:reports",
                            "{\"class\":\"nightly\",\"queue\":\"reports\",\"args\":[{\"n\":" + n + "}]}");
                }
                client.call("SADD", "resque:queues", "reports");
            }
            try (HeraldProcess herald = HeraldProcess.start(Map.of("HERALD_TITLE", "queues", "HERALD_ROLE", "web",
                    "REDIS_HOST", redis.host(), "REDIS_PORT", Integer.toString(redis.port()),
                    "HERALD_PROJECT_NAME", "shop-api", "HERALD_PROJECT_VERSION", "2.0.1", "maxResqueQueueLength", "2"))) {
                herald.awaitStarted(START);
                JsonNode status = awaitStatus(herald, node -> node.path("resqueTotalQueueLength").asLong() == 3);
                assertEquals("shop-api", status.path("name").asText(), status.toString());
                assertEquals("2.0.1", status.path("version").asText());
                assertEquals("A Herald API server", status.path("description").asText());
                JsonNode info = JSON.readTree(herald.get("/api/swagger").body()).path("info");
                assertEquals("shop-api", info.path("title").asText(), "the OpenAPI document describes the project too");
                assertEquals("2.0.1", info.path("version").asText());
                assertEquals("Unhealthy", status.path("nodeStatus").asText(), status.toString());
                assertTrue(status.path("problems").toString().contains("Resque Queues over 2 jobs (3 waiting)"),
                        status.toString());
                HttpResponse<String> health = herald.get("/api/health");
                assertEquals(200, health.statusCode(), "the queues are every node's: " + health.body());

                JsonNode visible = JSON.readTree(herald.getAnonymous("/api/status").body());
                assertEquals(Set.of("id", "heraldVersion", "uptime", "nodeStatus", "details"), fieldNames(visible));
                assertEquals("Unhealthy", visible.path("nodeStatus").asText(), "one nodeStatus for both views");

                redis.stop();
                JsonNode unread = awaitStatus(herald, node -> node.path("resqueTotalQueueLength").isNull());
                assertTrue(unread.path("problems").toString().contains("the task queues could not be read"),
                        unread.toString());
            }
        }
    }

    private interface StatusCondition {
        boolean holds(JsonNode status);
    }

    /** The admin view of {@code /api/status} once it holds; each answer must come within the HTTP client's 10 s. */
    private static JsonNode awaitStatus(HeraldProcess herald, StatusCondition condition) throws Exception {
        long deadline = System.nanoTime() + SETTLE.toNanos();
        while (true) {
            HttpResponse<String> response = herald.get("/api/status");
            assertEquals(200, response.statusCode(), response.body());
            JsonNode status = JSON.readTree(response.body());
            if (condition.holds(status)) {
                return status;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + SETTLE + ": " + status + "\n" + herald.output());
            }
            Thread.sleep(100);
        }
    }

    /** The fields the action answered. */
    private static Set<String> fieldNames(JsonNode node) {
        Set<String> names = new java.util.TreeSet<>();
        node.fieldNames().forEachRemaining(names::add);
        // the web server's metadata (on in development), not the action's answer
        names.removeAll(Set.of("serverInformation", "requesterInformation"));
        return names;
    }

    @Test
    void an_edit_of_the_core_config_under_load_restarts_neither_the_listener_nor_the_cluster_member() throws Exception {
        try (HeraldProcess herald = HeraldProcess.start(Map.of("HERALD_TITLE", "live-config"))) {
            herald.awaitStarted(START);
            Path core = herald.home.resolve("config/io.herald.core.cfg");
            try (Load load = Load.start(() -> herald.uri("/api/status"), 8, Set.of(200))) {
                load.awaitMore(200, SETTLE);
                Files.writeString(core, Files.readString(core) + "\nsimultaneousActions = 7\nclusterHeartbeatMillis = 4000\n");
                await(herald, "the edit applied", () -> herald.output().contains("Config changed; staged to"));
                load.awaitMore(300, SETTLE);

                // A bad value is refused, named, and changes nothing.
                Files.writeString(core, Files.readString(core) + "\nmaxHeapPercent = lots\n");
                await(herald, "the bad edit refused", () -> herald.output().contains("maxHeapPercent = lots"));
                load.awaitMore(300, SETTLE);
                load.stop();
                assertEquals(0, load.failureCount(), load.summary());
            }
            String output = herald.output();
            assertEquals(1, count(output, "web server listening on"), "the listener never restarted:\n" + output);
            assertEquals(1, count(output, "joined the cluster"), "the member never left and joined again:\n" + output);
            assertFalse(output.contains("left the cluster"), output);
        }
    }

    private static int count(String text, String part) {
        int count = 0;
        for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) {
            count++;
        }
        return count;
    }

    private interface Condition {
        boolean holds() throws Exception;
    }

    private static void await(HeraldProcess herald, String what, Condition condition) throws Exception {
        long deadline = System.nanoTime() + SETTLE.toNanos();
        while (!condition.holds()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + SETTLE + ": " + what + "\n" + herald.output());
            }
            Thread.sleep(50);
        }
    }
}
