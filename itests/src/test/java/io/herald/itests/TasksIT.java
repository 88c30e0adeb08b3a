package io.herald.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.herald.testing.redis.RedisServer;
import io.herald.testing.redis.RespClient;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Tasks across real distribution processes and real {@code redis-server}s. The fixture bundle (this module's main
 * artifact, in each node's {@code deploy/}) brings the task {@code recordJob} (appends its {@code n} to
 * {@code records/recordJob.log} of the node that runs it), the action {@code enqueueRecord} that enqueues it, and the
 * recurring task {@code recurringRecord} (every second, only where {@code io.herald.itests.recurring} is configured).
 *
 * <ul>
 *   <li>a cluster on one Redis: a {@code web} node (enqueues, runs no processor) and, from the second test on, a
 *       {@code worker} node;</li>
 *   <li>an {@code all} node without Redis: the embedded default;</li>
 *   <li>two {@code worker} nodes running the recurring task on another Redis, both killed with SIGKILL.</li>
 * </ul>
 * Every node polls every 500 ms ({@code timeout}) and counts a worker silent for 8 s as dead.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TasksIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration START = Duration.ofSeconds(60);
    private static final Duration SETTLE = Duration.ofSeconds(30);
    private static final Path FIXTURE_JAR = Path.of(System.getProperty("herald.fixture.jar",
            "target/herald-itests-0.1.0-SNAPSHOT.jar")).toAbsolutePath();
    private static final String RECURRING_JOB = "{\"class\":\"recurringRecord\",\"queue\":\"default\",\"args\":[{}]}";
    /** Counts the recurring job, atomically: in its queue, in delayed lists, and in workers' working-on records. */
    private static final String COUNT_RECURRING = """
            local queued, delayed, running = 0, 0, 0
            for _, v in ipairs(redis.call('LRANGE', 'resque:queue:default', 0, -1)) do
              if v == ARGV[1] then queued = queued + 1 end
            end
            for _, key in ipairs(redis.call('KEYS', 'resque:delayed:*')) do
              for _, v in ipairs(redis.call('LRANGE', key, 0, -1)) do
                if v == ARGV[1] then delayed = delayed + 1 end
              end
            end
            for _, key in ipairs(redis.call('KEYS', 'resque:worker:*')) do
              if string.sub(key, 1, 19) ~= 'resque:worker:ping:' and string.sub(key, -8) ~= ':started' then
                local v = redis.call('GET', key)
                if v and string.find(v, 'recurringRecord', 1, true) then running = running + 1 end
              end
            end
            return {queued, delayed, running}
            """;

    private static RedisServer redis;
    private static RedisServer recurringRedis;
    private static HeraldProcess web;
    private static HeraldProcess worker;
    private static HeraldProcess solo;
    private static HeraldProcess recurringA;
    private static HeraldProcess recurringB;

    @BeforeAll
    static void startNodes() throws Exception {
        if (!Files.isRegularFile(FIXTURE_JAR)) {
            throw new IllegalStateException("no fixture bundle at " + FIXTURE_JAR + ": run the itests module through package");
        }
        redis = RedisServer.start();
        recurringRedis = RedisServer.start();
        // They boot in parallel, then each is awaited. The worker of the cluster starts in the first test.
        web = startNode(home(false), "web", "tasks-web", redis);
        solo = startNode(home(false), "all", "tasks-solo", null);
        recurringA = startNode(home(true), "worker", "tasks-recurring-a", recurringRedis);
        recurringB = startNode(home(true), "worker", "tasks-recurring-b", recurringRedis);
        web.awaitStarted(START);
        solo.awaitStarted(START);
        recurringA.awaitStartedLine(START);
        recurringB.awaitStartedLine(START);
        // The fixture comes from deploy/, which FileInstall installs once the role runs.
        for (HeraldProcess node : List.of(web, solo)) {
            awaitOutput(node, "action added: enqueueRecord");
            awaitOutput(node, "task added: recordJob");
        }
    }

    @AfterAll
    static void stopNodes() throws Exception {
        for (HeraldProcess node : new HeraldProcess[] {web, worker, solo, recurringA, recurringB}) {
            if (node != null) {
                node.close();
            }
        }
        for (RedisServer server : new RedisServer[] {redis, recurringRedis}) {
            if (server != null) {
                server.close();
            }
        }
    }

    private static HeraldProcess startNode(Path home, String role, String title, RedisServer server) throws IOException {
        return HeraldProcess.startIn(home, withConfig(home, env(role, title, server)));
    }

    /** A node's home with the fixture in deploy/ and it-config/ (see {@link #env}). */
    private static Path home(boolean recurring) throws IOException {
        Path home = HeraldProcess.newHome(FIXTURE_JAR);
        Path config = Files.createDirectories(home.resolve("it-config"));
        // Merged key by key over config/io.herald.tasks.cfg: quick polls, and a dead worker is noticed in 8 s.
        Files.writeString(config.resolve("io.herald.tasks.cfg"), "timeout = 500\nstuckWorkerTimeout = 8000\n");
        if (recurring) {
            Files.writeString(config.resolve("io.herald.itests.recurring.cfg"), "note = the recurring fixture task runs here\n");
        }
        return home;
    }

    /** A node's environment: its role and id, the it-config overlay, and the Redis it uses (none: null). */
    private static Map<String, String> env(String role, String title, RedisServer server) {
        Map<String, String> env = new HashMap<>();
        env.put("HERALD_ROLE", role);
        env.put("HERALD_TITLE", title);
        env.put("HERALD_SERVER_TOKEN", "tasks-it-secret");
        if (server != null) {
            env.put("REDIS_HOST", server.host());
            env.put("REDIS_PORT", Integer.toString(server.port()));
        }
        return env;
    }

    /** {@code HERALD_CONFIG} of a node started in {@code home}: the shipped config, then it-config/. */
    private static Map<String, String> withConfig(Path home, Map<String, String> env) {
        Map<String, String> result = new HashMap<>(env);
        result.put("HERALD_CONFIG", home.resolve("config") + "," + home.resolve("it-config"));
        return result;
    }

    @Test
    @Order(1)
    void enqueueing_while_no_worker_or_scheduler_exists_in_the_cluster_logs_warnings() throws Exception {
        assertEquals(true, enqueueRecord(web, "n=1").get("enqueued").asBoolean());

        awaitOutput(web, "a job was enqueued on queue default but no task worker is registered in the cluster"
                + " (resque:workers is empty)");
        awaitOutput(web, "a job was enqueued on queue default but no scheduler runs in the cluster"
                + " (no resque:resque_scheduler_leader_lock)");
        try (RespClient client = redis.client()) {
            assertEquals(List.of("{\"class\":\"recordJob\",\"queue\":\"default\",\"args\":[{\"n\":1}]}"),
                    client.callList("LRANGE", "resque:queue:default", "0", "-1"), "the job waits in Redis");
        }
    }

    @Test
    @Order(2)
    void a_job_enqueued_by_an_action_on_the_web_node_runs_on_the_worker_node() throws Exception {
        worker = startNode(home(false), "worker", "tasks-worker", redis);
        worker.awaitStartedLine(START);
        // The job enqueued while no worker existed runs now that one does.
        String first = awaitRecord(worker, "n=1 ");
        assertTrue(first.contains(" node=tasks-worker worker=") && first.contains(":" + worker.pid() + "+"), first);

        enqueueRecord(web, "n=2");
        awaitRecord(worker, "n=2 ");

        assertFalse(Files.exists(web.home.resolve("records")), "the web role runs no task processor");
        JsonNode tasks = json(web.get("/api/status")).path("health").path("tasks");
        assertEquals("redis", tasks.path("store").asText(), tasks.toString());
        assertEquals(0, tasks.path("processors").asInt(), tasks.toString());
        assertEquals("off", tasks.path("scheduler").asText(), tasks.toString());
        assertTrue(tasks.path("leader").asText().contains(":" + worker.pid()), "the worker node leads: " + tasks);
    }

    @Test
    @Order(3)
    void without_redis_an_all_node_runs_its_jobs_in_process() throws Exception {
        assertTrue(solo.output().contains("Feature herald-redis (6 bundles) is not installed"), solo.output());
        enqueueRecord(solo, "n=3");

        String record = awaitRecord(solo, "n=3 ");
        assertTrue(record.contains(":" + solo.pid() + "+"), record);
        JsonNode tasks = json(solo.get("/api/status")).path("health").path("tasks");
        assertEquals("in-process", tasks.path("store").asText(), tasks.toString());
    }

    @Test
    @Order(4)
    void a_failed_job_is_listed_detailed_retried_and_removed_by_the_admin_actions() throws Exception {
        Path hold = Files.createDirectories(worker.home.resolve("records")).resolve("hold-5");
        Files.writeString(hold, "");
        enqueueRecord(web, "n=5&failWhile=hold-5");

        JsonNode failed = awaitJson(web, "/api/resque:failed", json -> failedWithN(json, 5) != null, SETTLE);
        JsonNode entry = failedWithN(failed, 5);
        assertEquals("java.lang.IllegalStateException", entry.path("exception").asText(), entry.toString());
        assertEquals("recordJob n=5 refused while records/hold-5 exists", entry.path("error").asText(), entry.toString());
        assertEquals("default", entry.path("queue").asText(), entry.toString());
        assertEquals("recordJob", entry.path("payload").path("class").asText(), entry.toString());
        assertTrue(entry.path("worker").asText().contains(":" + worker.pid() + "+"), entry.toString());
        assertTrue(entry.path("backtrace").size() > 0, entry.toString());

        JsonNode details = json(web.get("/api/resque:details")).path("details");
        assertTrue(details.path("failedCount").asLong() >= 1, details.toString());
        assertTrue(details.path("stats").path("failed").asLong() >= 1, details.toString());
        assertTrue(details.path("leader").asText().contains(":" + worker.pid()), details.toString());
        List<String> workers = new ArrayList<>();
        details.path("workers").forEach(w -> workers.add(w.path("worker").asText()));
        assertTrue(workers.stream().anyMatch(w -> w.contains(":" + worker.pid() + "+")), details.toString());

        Files.delete(hold);
        HttpResponse<String> retried = web.get("/api/resque:retryAndRemoveFailed?id=" + entry.path("id").asLong());
        assertEquals(200, retried.statusCode(), retried.body());
        awaitRecord(worker, "n=5 ");
        assertEquals(null, failedWithN(json(web.get("/api/resque:failed")), 5), "retried and removed");
    }

    @Test
    @Order(5)
    void the_cli_enqueues_on_the_clusters_redis_and_refuses_bad_input() throws Exception {
        // Against the web node's home, next to the running node (its own data directory): deploy/ holds the task.
        Map<String, String> env = withConfig(web.home, env("all", "ignored-title", redis));
        Map<String, String> noRedis = withConfig(web.home, env("all", "ignored-title", null));
        List<Cli> runs = List.of(
                Cli.start(web.home, env, "--name", "recordJob", "--args", "{\"n\":6}"),
                Cli.start(web.home, env, "--name", "recordJob", "--args", "{\"n\":7}", "--in", "1500"),
                Cli.start(web.home, env, "--name", "recordJob", "--args", "{\"n\":\"six\"}"),
                Cli.start(web.home, env, "--name", "recordJob", "--args", "{}"),
                Cli.start(web.home, env, "--name", "noSuchTask"),
                Cli.start(web.home, noRedis, "--name", "recordJob", "--args", "{\"n\":8}"));
        for (Cli run : runs) {
            run.await();
        }

        runs.get(0).assertExit(0);
        assertTrue(runs.get(0).stdout().lines()
                .anyMatch("enqueued: {\"class\":\"recordJob\",\"queue\":\"default\",\"args\":[{\"n\":6}]}"::equals),
                runs.get(0).describe());
        runs.get(1).assertExit(0);
        assertTrue(runs.get(1).stdout().lines().anyMatch(line -> line.startsWith("scheduled for ")
                && line.endsWith("Z: {\"class\":\"recordJob\",\"queue\":\"default\",\"args\":[{\"n\":7}]}")),
                runs.get(1).describe());
        runs.get(2).assertExit(1);
        runs.get(2).assertError("herald: task enqueue: task recordJob: Input for parameter \"n\" is invalid: must be an"
                + " integer, was \"six\"");
        runs.get(3).assertExit(1);
        runs.get(3).assertError("herald: task enqueue: task recordJob: n is a required parameter");
        runs.get(4).assertExit(1);
        runs.get(4).assertError("herald: task enqueue: unknown task noSuchTask: no task of that name runs in this role"
                + " or in " + web.home.resolve("deploy") + " (tasks: recordJob, runAction)");
        runs.get(5).assertExit(1);
        runs.get(5).assertError("herald: task enqueue: no Redis is configured (REDIS_HOST, REDIS_SENTINELS or"
                + " REDIS_CLUSTER_NODES, or host, sentinels or clusterNodes in config/io.herald.redis.connection-tasks.cfg):"
                + " a job enqueued now would live only in this process");

        awaitRecord(worker, "n=6 ");
        awaitRecord(worker, "n=7 ");
        assertFalse(Files.exists(web.home.resolve("records")), "the CLI ran no job itself");
        assertFalse(web.output().contains("member herald-command-"), "the CLI stays out of the cluster:\n" + web.output());
        assertTrue(web.isAlive(), "the node next to the CLI runs on");
    }

    @Test
    @Order(6)
    void a_recurring_task_survives_sigkill_of_every_node_and_stays_single() throws Exception {
        await("the recurring task runs on the two nodes", SETTLE,
                () -> recurringRuns(recurringA).size() + recurringRuns(recurringB).size() >= 3,
                () -> dump(recurringRedis) + "\n---\n" + recurringA.output() + "\n---\n" + recurringB.output());

        recurringA.killJvm();
        recurringB.killJvm();
        long restartedAt = System.currentTimeMillis();
        // The same home (and data directory: the dead JVM's lock went with it), a new JVM.
        Path home = recurringA.home;
        recurringA = startNode(home, "worker", "tasks-recurring-a", recurringRedis);
        recurringA.awaitStartedLine(START);

        // A run in flight at the kill is released by the stuck-worker check (8 s), so allow for that.
        await("the recurring task runs again after the restart", Duration.ofSeconds(45),
                () -> recurringRuns(recurringA).stream().filter(t -> t >= restartedAt).count() >= 2,
                () -> dump(recurringRedis) + "\n---\n" + recurringA.output());
        long pid = recurringA.pid();
        await("the dead nodes' workers are cleaned up", SETTLE, () -> workers(recurringRedis).stream()
                .allMatch(w -> w.contains(":" + pid + "+")), () -> workers(recurringRedis) + "\n" + recurringA.output());

        // Exactly one instance: queued or delayed (never both, never twice), or held by the one live worker running it
        // (which schedules the next run before it lets go, so at most one delayed copy meanwhile).
        try (RespClient client = recurringRedis.client()) {
            for (int sample = 0; sample < 15; sample++) {
                List<Object> counts = client.callList("EVAL", COUNT_RECURRING, "0", RECURRING_JOB);
                long waiting = (Long) counts.get(0) + (Long) counts.get(1);
                long running = (Long) counts.get(2);
                assertTrue(waiting <= 1 && running <= 1, "queued, delayed, running: " + counts);
                if (running == 0) {
                    assertEquals(1, waiting, "queued, delayed, running: " + counts);
                }
                Thread.sleep(200);
            }
        }
        long runsAfter = recurringRuns(recurringA).stream().filter(t -> t >= restartedAt).count();
        await("it keeps running", SETTLE,
                () -> recurringRuns(recurringA).stream().filter(t -> t >= restartedAt).count() > runsAfter,
                () -> dump(recurringRedis) + "\n---\n" + recurringA.output());
    }

    // ------------------------------------------------------------------------------------------------ helpers

    private static JsonNode enqueueRecord(HeraldProcess node, String query) throws Exception {
        HttpResponse<String> response = node.get("/api/enqueueRecord?" + query);
        assertEquals(200, response.statusCode(), response.body() + "\n--- its output:\n" + node.output());
        return json(response);
    }

    /** Waits for the line of {@code records/recordJob.log} starting with {@code prefix} and returns it. */
    private static String awaitRecord(HeraldProcess node, String prefix) throws InterruptedException {
        String[] found = new String[1];
        await("a record " + prefix + "in " + node.home, SETTLE, () -> {
            found[0] = lines(node.home.resolve("records/recordJob.log")).stream().filter(l -> l.startsWith(prefix))
                    .findFirst().orElse(null);
            return found[0] != null;
        }, node::output);
        return found[0];
    }

    /** The times (epoch ms) of the recurring task's runs on {@code node}. */
    private static List<Long> recurringRuns(HeraldProcess node) {
        List<Long> times = new ArrayList<>();
        for (String line : lines(node.home.resolve("records/recurring.log"))) {
            times.add(Long.parseLong(line.substring(0, line.indexOf(' '))));
        }
        return times;
    }

    private static List<String> lines(Path file) {
        try {
            return Files.exists(file) ? Files.readAllLines(file) : List.of();
        } catch (IOException e) {
            return List.of();
        }
    }

    private static List<String> workers(RedisServer server) {
        try (RespClient client = server.client()) {
            return client.callList("SMEMBERS", "resque:workers").stream().map(String::valueOf).toList();
        }
    }

    /** Every key of {@code server} with its value: what a failure message needs to show where a job went. */
    private static String dump(RedisServer server) {
        StringBuilder out = new StringBuilder("--- Redis:\n");
        try (RespClient client = server.client()) {
            for (Object key : client.callList("KEYS", "*")) {
                String name = String.valueOf(key);
                String type = client.callString("TYPE", name);
                Object value = switch (type) {
                    case "string" -> client.call("GET", name);
                    case "list" -> client.call("LRANGE", name, "0", "-1");
                    case "set" -> client.call("SMEMBERS", name);
                    case "zset" -> client.call("ZRANGE", name, "0", "-1", "WITHSCORES");
                    default -> type;
                };
                out.append(name).append(" = ").append(value).append('\n');
            }
        } catch (RuntimeException e) {
            out.append("(unreadable: ").append(e).append(")\n");
        }
        return out.toString();
    }

    private static JsonNode failedWithN(JsonNode failedAnswer, long n) {
        for (JsonNode entry : failedAnswer.path("failed")) {
            if (entry.path("payload").path("args").path(0).path("n").asLong(-1) == n) {
                return entry;
            }
        }
        return null;
    }

    private static void await(String what, Duration timeout, BooleanSupplier condition, Supplier<String> diagnostics)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + timeout + ": " + what + "\n" + diagnostics.get());
            }
            Thread.sleep(100);
        }
    }

    private static void awaitOutput(HeraldProcess node, String text) throws InterruptedException {
        await("\"" + text + "\" in the output", SETTLE, () -> node.output().contains(text), node::output);
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
        throw new AssertionError(path + " still answered " + last + " after " + timeout + "\n--- its output:\n"
                + node.output());
    }

    private static JsonNode json(HttpResponse<String> response) throws IOException {
        assertNotNull(response.body());
        return JSON.readTree(response.body());
    }

    /** One {@code bin/herald task enqueue ...} process, its stdout and stderr kept apart. */
    private record Cli(Process process, Path outFile, Path errFile, List<String> args) {

        static Cli start(Path home, Map<String, String> env, String... args) throws IOException {
            List<String> command = new ArrayList<>(List.of(HeraldProcess.HERALD.toString(), "task", "enqueue"));
            command.addAll(List.of(args));
            Path out = Files.createTempFile(home, "cli-", ".out");
            Path err = Files.createTempFile(home, "cli-", ".err");
            ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
            builder.environment().clear();
            builder.environment().putAll(HeraldProcess.environment(home, env));
            return new Cli(builder.start(), out, err, List.of(args));
        }

        void await() throws InterruptedException {
            if (!process.waitFor(90, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("herald task enqueue " + args + " did not exit within 90 s:\n" + describe());
            }
        }

        String stdout() {
            return read(outFile);
        }

        String stderr() {
            return read(errFile);
        }

        void assertExit(int expected) {
            assertEquals(expected, process.exitValue(), describe());
        }

        void assertError(String line) {
            assertTrue(stderr().lines().anyMatch(l -> l.startsWith(line)), "no line starting with \"" + line + "\":\n"
                    + describe());
        }

        String describe() {
            return "herald task enqueue " + args + "\n--- stdout:\n" + stdout() + "\n--- stderr:\n" + stderr();
        }

        private static String read(Path file) {
            try {
                return Files.readString(file);
            } catch (IOException e) {
                return "(unreadable: " + e.getMessage() + ")";
            }
        }
    }
}
