package io.herald.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.herald.testing.redis.RedisServer;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Three real distribution processes on one real {@code redis-server}: A and B share a {@code serverToken} and form a
 * cluster; C holds another token, so its messages are rejected and it stays out. The fixture bundle (this module's
 * main artifact, in each node's {@code deploy/}) exposes {@code clusterCall}: {@code herald.ping} on every node,
 * answering with the ids that replied. Ends with Redis stopped and restarted under the running nodes.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration START = Duration.ofSeconds(60);
    private static final Duration SETTLE = Duration.ofSeconds(20);
    private static final Path FIXTURE_JAR = findFixtureJar();

    private static RedisServer redis;
    private static HeraldProcess a;
    private static HeraldProcess b;
    private static HeraldProcess c;

    @BeforeAll
    static void startCluster() throws Exception {
        redis = RedisServer.start();
        // All three start at once (they boot in parallel), then each is awaited.
        a = startNode("node-a", "cluster-secret");
        b = startNode("node-b", "cluster-secret");
        c = startNode("node-c", "another-secret");
        for (HeraldProcess node : List.of(a, b, c)) {
            node.awaitStarted(START);
        }
    }

    @AfterAll
    static void stopCluster() throws Exception {
        for (HeraldProcess node : new HeraldProcess[] {a, b, c}) {
            if (node != null) {
                node.close();
            }
        }
        if (redis != null) {
            redis.close();
        }
    }

    private static HeraldProcess startNode(String title, String serverToken) throws IOException {
        return HeraldProcess.startIn(HeraldProcess.newHome(FIXTURE_JAR), Map.of("HERALD_TITLE", title, "HERALD_SERVER_TOKEN", serverToken,
                "REDIS_HOST", redis.host(), "REDIS_PORT", Integer.toString(redis.port())));
    }

    @Test
    @Order(1)
    void a_and_b_each_see_both_members_over_redis() throws Exception {
        for (HeraldProcess node : List.of(a, b)) {
            JsonNode cluster = awaitJson(node, "/api/status",
                    status -> memberIds(status).equals(List.of("node-a", "node-b"))
                            && status.path("cluster").path("transport").asText().startsWith("redis"),
                    SETTLE).get("cluster");
            for (JsonNode member : cluster.get("members")) {
                assertFalse(member.path("lastSeen").asText().isEmpty(), "lastSeen of " + member);
            }
        }
    }

    @Test
    @Order(2)
    void a_cluster_call_from_a_reaches_a_and_b() throws Exception {
        JsonNode answer = awaitJson(a, "/api/clusterCall", json -> ids(json.get("nodes")).equals(List.of("node-a", "node-b")),
                SETTLE);
        assertEquals(0, answer.get("errors").size(), answer.toString());
    }

    @Test
    @Order(3)
    void a_node_with_another_server_token_is_rejected_and_stays_out() throws Exception {
        // C is up on the same Redis and sends (it sees itself over Redis)...
        awaitJson(c, "/api/status", status -> memberIds(status).equals(List.of("node-c"))
                && status.path("cluster").path("transport").asText().startsWith("redis"), SETTLE);
        // ...and A and B drop what it sends, saying so on io.herald.cluster.
        awaitOutput(a, "io.herald.cluster - dropped a cluster message claiming to come from node-c", SETTLE);
        awaitOutput(b, "io.herald.cluster - dropped a cluster message claiming to come from node-c", SETTLE);

        // One call each, no retry: it must go out and be answered. A Redis connection no longer fails commands fast
        // on one slow or failed health probe (it is DOWN only after failures spanning its whole retry window), so a
        // loaded machine delays the call rather than turning it into a 503.
        assertEquals(List.of("node-a", "node-b"), ids(callOnce(a).get("nodes")), "C does not answer A's call");
        assertEquals(List.of("node-c"), ids(callOnce(c).get("nodes")), "nor do A and B answer C's");
        for (HeraldProcess node : List.of(a, b)) {
            assertEquals(List.of("node-a", "node-b"), memberIds(json(node.get("/api/status"))), "C is no member");
        }
        assertEquals(List.of("node-c"), memberIds(json(c.get("/api/status"))));
    }

    /** One cluster call from {@code node}, which must answer 200: the call went out and came back. */
    private static JsonNode callOnce(HeraldProcess node) throws Exception {
        HttpResponse<String> response = node.get("/api/clusterCall");
        assertEquals(200, response.statusCode(), response.body() + "\n--- its output:\n" + node.output());
        return json(response);
    }

    @Test
    @Order(4)
    void without_redis_a_reports_it_down_and_keeps_answering_and_recovers_when_it_returns() throws Exception {
        redis.stop();
        JsonNode down = awaitJson(a, "/api/status", status -> redisClientState(status).equals("DOWN"), SETTLE);
        assertEquals("Unhealthy", down.get("nodeStatus").asText());

        HttpResponse<String> call = a.get("/api/clusterCall");
        assertEquals(503, call.statusCode(), call.body());
        assertTrue(json(call).get("error").asText().startsWith("the cluster call could not be sent"), call.body());
        assertEquals(200, a.get("/api/status").statusCode(), "A still answers");

        redis.restart();
        awaitJson(a, "/api/status", status -> redisClientState(status).equals("UP"), SETTLE);
        awaitJson(a, "/api/clusterCall", json -> ids(json.get("nodes")).equals(List.of("node-a", "node-b")), SETTLE);
    }

    /** Polls {@code path} (bounded) until it answers 200 with JSON matching {@code until}, and returns that JSON. */
    private static JsonNode awaitJson(HeraldProcess node, String path, Predicate<JsonNode> until, Duration timeout)
            throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "nothing";
        while (System.nanoTime() < deadline) {
            HttpResponse<String> response = node.get(path);
            last = response.statusCode() + " " + response.body();
            if (response.statusCode() == 200) {
                JsonNode json = JSON.readTree(response.body());
                if (until.test(json)) {
                    return json;
                }
            }
            Thread.sleep(200);
        }
        throw new AssertionError(path + " on port " + node.port + " still answered " + last + " after " + timeout
                + "\n--- its output:\n" + node.output());
    }

    private static void awaitOutput(HeraldProcess node, String text, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!node.output().contains(text)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no \"" + text + "\" within " + timeout + " in:\n" + node.output());
            }
            Thread.sleep(200);
        }
    }

    private static JsonNode json(HttpResponse<String> response) throws IOException {
        return JSON.readTree(response.body());
    }

    private static List<String> memberIds(JsonNode status) {
        List<String> ids = new ArrayList<>();
        status.path("cluster").path("members").forEach(member -> ids.add(member.path("id").asText()));
        return ids;
    }

    private static List<String> ids(JsonNode array) {
        List<String> ids = new ArrayList<>();
        if (array != null) {
            array.forEach(id -> ids.add(id.asText()));
        }
        return ids;
    }

    private static String redisClientState(JsonNode status) {
        return status.path("health").path("redis.client").path("state").asText();
    }

    private static Path findFixtureJar() {
        String configured = System.getProperty("herald.fixture.jar");
        Path jar = Path.of(configured != null ? configured : "target/herald-itests-0.1.0-SNAPSHOT.jar").toAbsolutePath();
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("no fixture bundle at " + jar + ": run the itests module through package");
        }
        return jar;
    }
}
