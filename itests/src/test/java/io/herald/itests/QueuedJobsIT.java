package io.herald.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

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
                    // Exactly what node-resque's queue.enqueue writes (resque-wire-format.md).
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

    private static long lines(Path file) throws java.io.IOException {
        if (!Files.exists(file)) {
            return 0;
        }
        try (var lines = Files.lines(file)) {
            return lines.count();
        }
    }
}
