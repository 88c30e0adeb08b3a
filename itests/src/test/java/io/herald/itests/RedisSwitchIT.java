package io.herald.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.Test;

import io.herald.testing.redis.RedisServer;
import io.herald.testing.redis.RespClient;

/**
 * A node started without Redis configuration leaves the Redis bundles out (start-up cost) and says so; once an edit of
 * its connection configuration names a Redis (the install rule {@code herald-redis} declares), the launcher installs
 * them while the node runs, so "Redis configured" always means "the Redis bundles run", and the task processor (which imports the Redis packages dynamically) moves
 * to Redis with the jobs it held in memory. (A node started with {@code REDIS_HOST} installs them at once: ClusterIT, TasksIT.)
 */
class RedisSwitchIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration START = Duration.ofSeconds(60);
    private static final Duration SWITCH = Duration.ofSeconds(30);
    private static final Path FIXTURE_JAR = Path.of(System.getProperty("herald.fixture.jar",
            "target/herald-itests-0.1.0-SNAPSHOT.jar")).toAbsolutePath();

    @Test
    void a_node_without_redis_leaves_it_out_and_installs_it_when_an_edit_configures_it() throws Exception {
        Path home = HeraldProcess.newHome(FIXTURE_JAR);
        try (RedisServer redis = RedisServer.start();
                HeraldProcess node = HeraldProcess.startIn(home, Map.of("HERALD_TITLE", "switch-node"))) {
            node.awaitStarted(START);
            node.awaitStartedLine(START);
            String output = node.output();
            // The rule is herald-redis's own (Herald-Install-When in its manifest); the launcher applies it.
            assertTrue(output.contains("Feature herald-redis (6 bundles) is not installed: no staged"
                    + " io.herald.redis.connection configuration matches (|(host=*)(.url=*)(sentinels=*)(clusterNodes=*)"
                    + "(&(mode=*)(!(mode~=auto)))), the install rule of io.herald.redis (Herald-Install-When)"), output);
            JsonNode status = status(node);
            assertEquals("in-process", status.path("cluster").path("transport").asText(), status.toString());
            assertTrue(status.path("health").path("redis.client").isMissingNode(), status.toString());
            assertEquals("in-process", status.path("health").path("tasks").path("store").asText(), status.toString());

            // A job delayed by an hour lives in the node's memory until Redis comes.
            HttpResponse<String> delayed = awaitOk(node, "/api/enqueueRecord?n=41&inMillis=3600000");
            assertEquals(true, JSON.readTree(delayed.body()).path("enqueued").asBoolean(), delayed.body());

            // What an operator does on a running node: point the connections at a Redis.
            for (String connection : new String[] {"client", "subscriber", "tasks"}) {
                configure(node.home.resolve("config/io.herald.redis.connection-" + connection + ".cfg"), redis);
            }

            // Each connection registers its health entry just after its connection service, which may already have
            // moved the bus to Redis: await all three rather than sample the subscriber's once.
            awaitStatus(node, s -> s.path("cluster").path("transport").asText().startsWith("redis")
                    && s.path("health").path("redis.client").path("state").asText().equals("UP")
                    && s.path("health").path("redis.subscriber").path("state").asText().equals("UP"));
            assertTrue(node.output().contains("Feature herald-redis is needed now (io.herald.redis.connection-"),
                    node.output());
            // The launcher says so once the feature's start settled, which may be a moment after the connections serve.
            awaitOutput(node, "Feature herald-redis runs");

            // herald-tasks wires the Redis packages when the tasks connection appears (a dynamic import): its jobs
            // live on Redis now.
            JsonNode tasks = awaitStatus(node, s -> s.path("health").path("tasks").path("store").asText().equals("redis"))
                    .path("health").path("tasks");
            assertEquals("UP", tasks.path("state").asText(), tasks.toString());
            assertEquals("resque", tasks.path("namespace").asText(), tasks.toString());

            // The tasks bundle imports the Redis packages dynamically, so it was not restarted: the delayed job it
            // held in memory moved to Redis with its due time.
            try (RespClient raw = RespClient.connect(redis.address())) {
                long deadline = System.nanoTime() + SWITCH.toNanos();
                while (raw.callLong("ZCARD", "resque:delayed_queue_schedule") != 1 && System.nanoTime() < deadline) {
                    Thread.sleep(100);
                }
                java.util.List<Object> due = raw.callList("ZRANGE", "resque:delayed_queue_schedule", "0", "-1");
                assertEquals(1, due.size(), "delayed seconds in Redis: " + due + "\n" + node.output());
                Object jobs = raw.callList("LRANGE", "resque:delayed:" + due.get(0), "0", "-1");
                assertEquals(java.util.List.of("{\"class\":\"recordJob\",\"queue\":\"default\",\"args\":[{\"n\":41}]}"),
                        jobs);
            }
        }
    }

    /**
     * A PaaS (Heroku, Render) hands Redis over as one {@code REDIS_URL} with the password in it: a node started with it
     * installs the Redis bundles at once, every connection authenticates with the URL's password and database, and the
     * password appears in no log line. A URL that is not one is refused as any Redis configuration error is, without
     * showing the password.
     */
    @Test
    void herald_check_passes_for_every_role_with_redis_configured() throws Exception {
        // What docs/deployment.md has an operator run once on a node's host, where REDIS_HOST is set: the check's
        // task processor then uses Redis, and its dynamic imports wire into herald-redis as the class loads. Those
        // wires are no reason to fail: a node without Redis resolves without them.
        try (RedisServer redis = RedisServer.start()) {
            for (String role : List.of("all", "web", "worker")) {
                try (HeraldProcess check = HeraldProcess.start(Map.of("REDIS_HOST", redis.host(),
                        "REDIS_PORT", Integer.toString(redis.port())), "check", "--role", role)) {
                    assertEquals(0, check.awaitExit(START), check.output());
                    assertTrue(check.output().contains("check passed: role=" + role + " "), check.output());
                }
            }
        }
    }

    @Test
    void a_node_started_with_redis_url_uses_that_server_its_password_and_database() throws Exception {
        String password = "s3cret/p@ss";
        try (RedisServer redis = RedisServer.builder().password(password).start()) {
            String url = "redis://:" + java.net.URLEncoder.encode(password, java.nio.charset.StandardCharsets.UTF_8)
                    + "@" + redis.host() + ":" + redis.port() + "/3";
            try (HeraldProcess node = HeraldProcess.startIn(HeraldProcess.newHome(FIXTURE_JAR),
                    Map.of("HERALD_TITLE", "url-node", "REDIS_URL", url))) {
                node.awaitStarted(START);
                JsonNode status = awaitStatus(node, s -> s.path("cluster").path("transport").asText().startsWith("redis")
                        && s.path("health").path("redis.client").path("state").asText().equals("UP")
                        && s.path("health").path("tasks").path("store").asText().equals("redis"));
                assertTrue(status.path("health").path("redis.client").toString().contains(redis.host() + ":" + redis.port() + "/3"),
                        status.toString());
                HttpResponse<String> delayed = awaitOk(node, "/api/enqueueRecord?n=7&inMillis=3600000");
                assertEquals(true, JSON.readTree(delayed.body()).path("enqueued").asBoolean(), delayed.body());
                try (RespClient raw = RespClient.connect(redis.address())) {
                    raw.call("AUTH", password);
                    raw.call("SELECT", "3");
                    assertEquals(1L, raw.callLong("ZCARD", "resque:delayed_queue_schedule"), "the job is in database 3");
                }
                assertFalse(node.output().contains(password) || node.output().contains("p%40ss"), node.output());
            }
            // As any Redis configuration error: one line per connection, the node Unhealthy, the password nowhere.
            try (HeraldProcess wrong = HeraldProcess.start(Map.of("HERALD_TITLE", "url-wrong",
                    "REDIS_URL", "http://:" + password + "@" + redis.host()))) {
                wrong.awaitStarted(START);
                JsonNode status = awaitStatus(wrong, s -> s.toString().contains(".url must start with redis:// or rediss://"));
                assertEquals("Unhealthy", status.path("nodeStatus").asText(), status.toString());
                assertTrue(wrong.output().contains("Redis connection 'client' is not started: configuration error: .url must"
                        + " start with redis:// or rediss://"), wrong.output());
                assertFalse(wrong.output().contains(password) || status.toString().contains(password), wrong.output());
            }
        }
    }

    /** Replaces the host and port lines in one step, so the launcher's next poll never sees half a file. */
    private static void configure(Path file, RedisServer redis) throws Exception {
        String text = Files.readString(file)
                .replace("host = ${env:REDIS_HOST:-}", "host = " + redis.host())
                .replace("port = ${env:REDIS_PORT:-}", "port = " + redis.port());
        assertTrue(text.contains("host = " + redis.host()) && text.contains("port = " + redis.port()), text);
        Path temporary = file.resolveSibling("." + file.getFileName() + ".edit");
        Files.writeString(temporary, text);
        Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static void awaitOutput(HeraldProcess node, String text) throws Exception {
        long deadline = System.nanoTime() + SWITCH.toNanos();
        while (!node.output().contains(text) && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertTrue(node.output().contains(text), "no '" + text + "' within " + SWITCH + "\n" + node.output());
    }

    private static HttpResponse<String> awaitOk(HeraldProcess node, String path) throws Exception {
        long deadline = System.nanoTime() + START.toNanos();
        HttpResponse<String> response = node.get(path);
        while (response.statusCode() != 200 && System.nanoTime() < deadline) {
            Thread.sleep(100); // the fixture bundle in deploy/ is installed a moment after the node started
            response = node.get(path);
        }
        assertEquals(200, response.statusCode(), response.body());
        return response;
    }

    private static JsonNode status(HeraldProcess node) throws Exception {
        HttpResponse<String> response = node.get("/api/status");
        assertEquals(200, response.statusCode(), response.body());
        return JSON.readTree(response.body());
    }

    private static JsonNode awaitStatus(HeraldProcess node, java.util.function.Predicate<JsonNode> condition)
            throws Exception {
        long deadline = System.nanoTime() + SWITCH.toNanos();
        JsonNode last = null;
        while (System.nanoTime() < deadline) {
            last = status(node);
            if (condition.test(last)) {
                return last;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the node did not move to Redis within " + SWITCH + "; last status " + last
                + "\n" + node.output());
    }
}
