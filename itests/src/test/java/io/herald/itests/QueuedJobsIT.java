package io.herald.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import io.herald.testing.redis.RedisServer;
import io.herald.testing.redis.RespClient;

import org.junit.jupiter.api.Test;

/**
 * Jobs already waiting in Redis when a worker node starts, as after a deploy or a crash: the node takes none before its
 * tasks (here the fixture's {@code recordJob}, from {@code deploy/}) are registered, so none fails with
 * {@code No job defined for class "recordJob"} (node-resque's words).
 */
class QueuedJobsIT {

    private static final int JOBS = 100;

    @Test
    void a_hundred_jobs_queued_before_the_node_starts_all_run_and_none_fails() throws Exception {
        try (RedisServer redis = RedisServer.start()) {
            try (RespClient client = redis.client()) {
                for (int n = 1; n <= JOBS; n++) {
                    // Exactly what node-resque's Queue.enqueue writes (src/core/queue.ts: RPUSH of the encoded job).
                    client.call("RPUSH", "resque:queue:default",
                            "{\"class\":\"recordJob\",\"queue\":\"default\",\"args\":[{\"n\":" + n + "}]}");
                }
                client.call("SADD", "resque:queues", "default");
            }
            Path home = HeraldProcess.newHome(NodeLifecycleIT.FIXTURE_JAR);
            try (HeraldProcess worker = HeraldProcess.startIn(home, Map.of("HERALD_ROLE", "worker",
                    "HERALD_TITLE", "queued-jobs", "REDIS_HOST", redis.host(), "REDIS_PORT", Integer.toString(redis.port()),
                    "MAX_TASK_PROCESSORS", "4"))) {
                Path records = home.resolve("records/recordJob.log");
                long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
                while (lines(records) < JOBS) {
                    if (!worker.isAlive() || System.nanoTime() > deadline) {
                        throw new AssertionError(lines(records) + " of " + JOBS + " jobs ran:\n" + worker.output());
                    }
                    Thread.sleep(100);
                }
                try (RespClient client = redis.client()) {
                    assertEquals(0, client.callLong("LLEN", "resque:failed"), "no job failed");
                    assertEquals(0, client.callLong("LLEN", "resque:queue:default"), "no job left behind");
                    assertEquals(String.valueOf(JOBS), client.callString("GET", "resque:stat:processed"));
                }
                assertEquals(JOBS, lines(records));
                assertFalse(worker.output().contains("No job defined"), worker.output());
            }
        }
    }

    @Test
    void a_job_held_by_a_killed_node_is_released_as_soon_as_a_node_of_its_host_starts() throws Exception {
        try (RedisServer redis = RedisServer.start()) {
            try (RespClient client = redis.client()) {
                client.call("RPUSH", "resque:queue:default",
                        "{\"class\":\"recordJob\",\"queue\":\"default\",\"args\":[{\"n\":1,\"sleepMillis\":600000}]}");
                client.call("SADD", "resque:queues", "default");
            }
            Map<String, String> env = Map.of("HERALD_ROLE", "worker", "REDIS_HOST", redis.host(),
                    "REDIS_PORT", Integer.toString(redis.port()));
            try (HeraldProcess first = HeraldProcess.startIn(HeraldProcess.newHome(NodeLifecycleIT.FIXTURE_JAR),
                    with(env, "HERALD_TITLE", "held-a"))) {
                await(first, "the job claimed by a worker", () -> claimedJobs(redis) == 1);
                first.killJvm();
            }
            // The stuck-worker timeout is 2 minutes; a node of the same host knows the pid is gone and does not wait.
            long started = System.nanoTime();
            try (HeraldProcess second = HeraldProcess.startIn(HeraldProcess.newHome(NodeLifecycleIT.FIXTURE_JAR),
                    with(env, "HERALD_TITLE", "held-b"))) {
                await(second, "the job released to the failed queue", () -> {
                    try (RespClient client = redis.client()) {
                        return client.callLong("LLEN", "resque:failed") == 1;
                    }
                });
                assertTrue(System.nanoTime() - started < Duration.ofSeconds(60).toNanos(), "released before the stuck timeout");
                try (RespClient client = redis.client()) {
                    String failed = client.callString("LINDEX", "resque:failed", "0");
                    assertTrue(failed.contains("\"class\":\"recordJob\""), "the killed node's job: " + failed);
                }
            }
        }
    }

    private static Map<String, String> with(Map<String, String> env, String key, String value) {
        Map<String, String> all = new java.util.HashMap<>(env);
        all.put(key, value);
        return all;
    }

    /** Workers' working-on records (resque:worker:<name>, not its ping or started keys) that hold a recordJob. */
    private static long claimedJobs(RedisServer redis) {
        try (RespClient client = redis.client()) {
            long claimed = 0;
            for (Object key : client.callList("KEYS", "resque:worker:*")) {
                String name = String.valueOf(key);
                if (name.startsWith("resque:worker:ping:") || name.endsWith(":started")) {
                    continue;
                }
                String value = client.callString("GET", name);
                if (value != null && value.contains("recordJob")) {
                    claimed++;
                }
            }
            return claimed;
        }
    }

    private interface Condition {
        boolean holds() throws Exception;
    }

    private static void await(HeraldProcess node, String what, Condition condition) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!condition.holds()) {
            if (!node.isAlive() || System.nanoTime() > deadline) {
                throw new AssertionError("not within 60 s: " + what + "\n" + node.output());
            }
            Thread.sleep(100);
        }
    }

    private static long lines(Path file) throws java.io.IOException {
        if (!Files.exists(file)) {
            return 0;
        }
        try (var lines = Files.lines(file)) {
            return lines.count();
        }
    }
}
