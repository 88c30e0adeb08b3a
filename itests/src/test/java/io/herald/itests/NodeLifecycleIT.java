package io.herald.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The node lifecycle on the built distribution, as real processes under load (a wrk-like {@link Load} of keep-alive
 * clients): a broken jar replacing a live one, SIGTERM, USR2 onto a new release, the order of start-up, and two nodes
 * on one host.
 */
class NodeLifecycleIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ECHO = "/api/echo?message=x";
    private static final Duration START = Duration.ofSeconds(60);
    private static final Duration SETTLE = Duration.ofSeconds(30);
    static final Path FIXTURE_JAR = Path.of(System.getProperty("herald.fixture.jar",
            "target/herald-itests-0.1.0-SNAPSHOT.jar")).toAbsolutePath();

    @TempDir
    Path work;

    /** A home of its own with these bundles in deploy/ (there before the start). */
    private static Path home(Path... deployed) throws IOException {
        return HeraldProcess.newHome(deployed);
    }

    private static JsonNode status(HeraldProcess herald) throws Exception {
        return JSON.readTree(herald.get("/api/status").body());
    }

    private static JsonNode deployment(HeraldProcess herald, String file) throws Exception {
        for (JsonNode entry : status(herald).path("deployments")) {
            if (entry.path("file").asText().equals(file)) {
                return entry;
            }
        }
        return null;
    }

    private static void await(String what, Duration timeout, ThrowingCondition condition) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.holds()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + timeout + ": " + what);
            }
            Thread.sleep(50);
        }
    }

    private interface ThrowingCondition {
        boolean holds() throws Exception;
    }

    /** Moves {@code jar} into deploy/ under {@code name} in one step, as the README says. */
    private static void drop(HeraldProcess herald, Path jar, String name) throws IOException {
        Path hidden = herald.home.resolve("deploy").resolve("." + name + ".tmp");
        Files.copy(jar, hidden, StandardCopyOption.REPLACE_EXISTING);
        Files.move(hidden, herald.home.resolve("deploy").resolve(name), StandardCopyOption.ATOMIC_MOVE,
                StandardCopyOption.REPLACE_EXISTING);
    }

    @Test
    void a_broken_jar_replacing_a_live_one_under_load_fails_no_request_and_a_fixed_one_goes_live() throws Exception {
        Path v1 = Jars.version(HeraldProcess.EXAMPLE_JAR, work.resolve("v1.jar"), "1.0.0.v1");
        Path broken = Jars.needing(HeraldProcess.EXAMPLE_JAR, work.resolve("broken.jar"), "1.0.0.v2",
                "org.apache.commons.lang3");
        Path v3 = Jars.version(HeraldProcess.EXAMPLE_JAR, work.resolve("v3.jar"), "1.0.0.v3");
        Files.copy(v1, work.resolve("hello.jar"));
        try (HeraldProcess herald = HeraldProcess.startIn(home(work.resolve("hello.jar")),
                Map.of("HERALD_TITLE", "lifecycle-deploy"))) {
            herald.awaitStarted(START);
            try (Load load = Load.start(() -> herald.uri(ECHO), 16, Set.of(200))) {
                load.awaitMore(300, SETTLE);

                drop(herald, broken, "hello.jar");
                await("the broken jar refused", SETTLE, () -> "REFUSED".equals(deployment(herald, "hello.jar").path("state").asText()));
                load.awaitMore(300, SETTLE);
                JsonNode refused = deployment(herald, "hello.jar");
                assertEquals("1.0.0.v1", refused.path("version").asText(), "the running version keeps serving: " + refused);
                String problem = refused.path("problem").asText();
                assertTrue(problem.contains("was not deployed: needs package org.apache.commons.lang3 [3.12.0,4.0.0),"
                        + " which no bundle exports; io.herald.example.hello 1.0.0.v1 keeps running"), problem);
                JsonNode status = status(herald);
                assertTrue(status.path("problems").toString().contains("needs package org.apache.commons.lang3"),
                        status.toString());
                assertFalse("Healthy".equals(status.path("nodeStatus").asText()), status.toString());
                assertTrue(herald.output().contains("deploy/hello.jar (io.herald.example.hello 1.0.0.v2) was not deployed"),
                        "one log line names the jar and what is missing");

                drop(herald, v3, "hello.jar");
                await("the fixed jar live", SETTLE, () -> "1.0.0.v3".equals(deployment(herald, "hello.jar").path("version").asText())
                        && "ACTIVE".equals(deployment(herald, "hello.jar").path("state").asText()));
                load.awaitMore(300, SETTLE);
                assertFalse(status(herald).path("problems").toString().contains("hello.jar"), "the fixed jar clears the problem");
                load.stop();
                assertEquals(0, load.failureCount(), load.summary());
            }
        }
    }

    @Test
    void the_port_opens_only_once_deploy_is_live_so_the_first_answer_is_never_a_404() throws Exception {
        try (HeraldProcess herald = HeraldProcess.startIn(home(HeraldProcess.EXAMPLE_JAR),
                Map.of("HERALD_TITLE", "lifecycle-order"))) {
            HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
            long deadline = System.nanoTime() + START.toNanos();
            HttpResponse<String> first = null;
            while (first == null) {
                if (!herald.isAlive() || System.nanoTime() > deadline) {
                    throw new AssertionError("no answer:\n" + herald.output());
                }
                try {
                    first = client.send(HttpRequest.newBuilder(herald.uri(ECHO)).GET().build(),
                            HttpResponse.BodyHandlers.ofString());
                } catch (ConnectException notYet) {
                    Thread.sleep(5);
                }
            }
            assertEquals(200, first.statusCode(), first.body());
        }
    }

    @Test
    void sigterm_under_load_answers_only_200_or_503_finishes_requests_and_jobs_in_flight_and_exits_0() throws Exception {
        try (HeraldProcess herald = HeraldProcess.startIn(home(HeraldProcess.EXAMPLE_JAR, FIXTURE_JAR),
                Map.of("HERALD_TITLE", "lifecycle-stop"))) {
            herald.awaitStarted(START);
            Path pidfile = herald.home.resolve("pids/herald-lifecycle-stop");
            assertTrue(Files.exists(pidfile));
            assertEquals(200, herald.get("/api/enqueueRecord?n=1&sleepMillis=3000").statusCode());
            await("the job running", SETTLE, () -> status(herald).path("health").path("tasks").path("processorsBusy").asInt() > 0);
            CompletableFuture<HttpResponse<String>> inFlight = HttpClient.newHttpClient().sendAsync(
                    HttpRequest.newBuilder(herald.uri("/api/sleep?ms=3000")).GET().build(), HttpResponse.BodyHandlers.ofString());
            Load load = Load.start(() -> herald.uri(ECHO), 8, Set.of(200, 503));
            try {
                load.awaitMore(200, SETTLE);
                long stopAt = System.nanoTime();
                herald.signal("TERM");
                load.awaitRefused(SETTLE);
                assertEquals(0, herald.awaitExit(Duration.ofSeconds(30)), herald.output());
                long tookMillis = (System.nanoTime() - stopAt) / 1_000_000;
                assertTrue(tookMillis < 25_000, "the stop took " + tookMillis + " ms");
            } finally {
                load.stop();
            }
            assertEquals(0, load.failureCount(), load.summary());
            assertTrue(load.retryAfterHeaders().stream().allMatch(value -> value.matches("\\d+")),
                    "every 503 says when to retry: " + load.retryAfterHeaders());
            HttpResponse<String> slow = inFlight.get();
            assertEquals(200, slow.statusCode(), "the request in flight finished: " + slow.body());
            String records = Files.readString(herald.home.resolve("records/recordJob.log"));
            assertTrue(records.contains("n=1 "), "the job in flight finished: " + records);
            assertFalse(Files.exists(pidfile), "the pidfile is removed");
            assertFalse(herald.output().contains("status=404"), "no 404 while stopping");
        }
    }

    @Test
    void usr2_under_load_fails_no_request_and_switches_config_and_deploy_to_the_release_the_link_points_at()
            throws Exception {
        Path home = home();
        Path releaseA = release(home, "a", null, HeraldProcess.EXAMPLE_JAR);
        Path releaseB = release(home, "b", "X-Powered-By: Herald|X-Release: b", HeraldProcess.EXAMPLE_JAR, FIXTURE_JAR);
        Path current = home.resolve("current");
        Files.createSymbolicLink(current, releaseA);
        try (HeraldProcess herald = HeraldProcess.startIn(home, Map.of("HERALD_TITLE", "lifecycle-reload",
                "PROJECT_ROOT", current.toString()))) {
            herald.awaitStarted(START);
            try (Load load = Load.start(() -> herald.uri(ECHO), 16, Set.of(200))) {
                load.awaitMore(300, SETTLE);

                // A plain reload: same release, the node keeps serving.
                herald.signal("USR2");
                await("the first reload", SETTLE, () -> herald.output().contains("herald: reloaded config from"));
                load.awaitMore(300, SETTLE);

                // The release script moves the link; nothing follows it until USR2.
                Path link = home.resolve("current.new");
                Files.createSymbolicLink(link, releaseB);
                Files.move(link, current, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                Thread.sleep(2_000); // longer than the config watcher's and deploy/'s polls
                assertEquals(404, herald.get("/api/sleep?ms=1").statusCode(), "deploy/ did not follow the link");
                assertTrue(herald.get(ECHO).headers().firstValue("X-Release").isEmpty(), "config did not follow the link");

                herald.signal("USR2");
                await("release b live", SETTLE, () -> herald.get("/api/sleep?ms=1").statusCode() == 200
                        && herald.get(ECHO).headers().firstValue("X-Release").orElse("").equals("b"));
                load.awaitMore(300, SETTLE);
                load.stop();
                assertEquals(0, load.failureCount(), load.summary());
            }
            assertTrue(herald.output().contains("(was " + releaseA.toRealPath() + ")"), herald.output());
        }
    }

    /** {@code home/releases/<name>}: the distribution's config (with responseHeaders when given) and deploy/. */
    private static Path release(Path home, String name, String responseHeaders, Path... deployed) throws IOException {
        Path release = Files.createDirectories(home.resolve("releases").resolve(name));
        HeraldProcess.copyTree(HeraldProcess.SHIPPED_CONFIG, release.resolve("config"));
        Path deploy = Files.createDirectories(release.resolve("deploy"));
        for (Path jar : deployed) {
            Files.copy(jar, deploy.resolve(jar.getFileName()));
        }
        if (responseHeaders != null) {
            Path web = release.resolve("config/io.herald.server.web.cfg");
            Files.writeString(web, Files.readString(web) + "\nresponseHeaders = " + responseHeaders + "\n");
        }
        return release;
    }

    @Test
    void two_nodes_with_their_own_titles_share_a_home_and_a_taken_title_is_refused_with_a_clear_reason()
            throws Exception {
        Path home = home();
        try (HeraldProcess a = HeraldProcess.startIn(home, Map.of("HERALD_TITLE", "node-a"));
                HeraldProcess b = HeraldProcess.startIn(home, Map.of("HERALD_TITLE", "node-b"))) {
            a.awaitStarted(START);
            b.awaitStarted(START);
            assertEquals("node-a", status(a).path("id").asText());
            assertEquals("node-b", status(b).path("id").asText());

            try (HeraldProcess again = HeraldProcess.startIn(home, Map.of("HERALD_TITLE", "node-a"))) {
                assertEquals(1, again.awaitExit(START), again.output());
                assertTrue(again.output().contains("herald: config error: another Herald node (pid " + a.pid()
                        + ") runs with the data directory " + home.resolve("data/nodes/node-a").toRealPath()
                        + ". Nodes on one host each need their own HERALD_TITLE"), again.output());
                assertFalse(again.output().contains("\tat "), "no stack trace: " + again.output());
            }
            assertEquals(200, a.get("/api/status").statusCode(), "the running node is untouched");
        }
    }
}
