package io.herald.tasks.interop;

import static io.herald.tasks.interop.NodeResque.op;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.herald.api.task.FailedJob;
import io.herald.api.task.QueueDetails;
import io.herald.api.task.WorkerStatus;
import io.herald.tasks.internal.scheduler.Scheduler;
import io.herald.tasks.internal.wire.JsJson;
import io.herald.tasks.internal.worker.WorkerPool;
import io.herald.testing.Await;

/**
 * node-resque 9.7.1 writes, Herald reads and acts: jobs node-resque enqueues are
 * worked by Herald with the same params; its delayed jobs are found, removed and moved by Herald's scheduler, which
 * shares the leader lock with node-resque's; its failed entries are read, retried and removed by Herald; its workers
 * are listed by Herald, and a node-resque worker killed mid-job is force-cleaned by Herald's scheduler in node-resque's
 * own format, so node-resque's {@code retryStuckJobs} still recognises the entry.
 */
class NodeToHeraldInteropTest extends InteropTest {

    @Test
    void jobsNodeEnqueuesAreWorkedByHeraldWithTheSameParams() {
        node.run("enqueue.js", "--jobs", "[{\"queue\":\"math\",\"class\":\"add\",\"args\":[{\"a\":1,\"b\":2}]},"
                + "{\"queue\":\"math\",\"class\":\"record\",\"args\":[" + TRICKY_PARAMS + "]}]").requireSuccess();

        herald.startWorkers(1, "math");
        Await.until(() -> redis.counter("resque:stat:processed") == 2, Duration.ofSeconds(60),
                "Herald processed both jobs");

        assertEquals(0, redis.llen("resque:queue:math"));
        assertEquals(0, redis.counter("resque:stat:failed"));
        // the record task wrote JsJson.stringify([params]): the bytes node-resque's own record job writes
        assertEquals(List.of("[" + TRICKY_PARAMS + "]"), redis.lrange(NodeResque.RECORD_KEY));
    }

    @Test
    void heraldWorkersAndANodeMultiWorkerShareAQueueAndRunEachJobOnce() {
        int jobs = 60;
        StringBuilder batch = new StringBuilder("[");
        for (int i = 0; i < jobs; i++) {
            batch.append(i == 0 ? "" : ",").append("{\"queue\":\"shared\",\"class\":\"record\",\"args\":[{\"i\":")
                    .append(i).append("}]}");
        }
        node.run("enqueue.js", "--jobs", batch.append(']').toString()).requireSuccess();

        WorkerPool pool = herald.startWorkers(2, "shared");
        try (NodeProcess multi = node.start("worker.js", "--multi", "--min", "1", "--max", "3", "--queues", "shared",
                "--run-ms", "300000")) {
            long nodePid = multi.pid();
            // both fleets are registered side by side, and Herald parses node-resque's host:pid+N names
            Await.until(() -> herald.tasks().workers().stream()
                            .anyMatch(w -> w.worker().contains(":" + nodePid + "+")),
                    Duration.ofSeconds(60), "Herald lists the node-resque MultiWorker's workers");
            assertTrue(herald.tasks().workers().stream().map(WorkerStatus::worker).toList()
                    .containsAll(pool.workerNames()));

            Await.until(() -> redis.llen(NodeResque.RECORD_KEY) >= jobs && redis.llen("resque:queue:shared") == 0,
                    Duration.ofSeconds(120), "every job ran");
            multi.stop(NodeResque.PROCESS_TIMEOUT).requireSuccess();
        }
        pool.stop();

        List<String> records = redis.lrange(NodeResque.RECORD_KEY);
        assertEquals(jobs, records.size(), "no job ran twice");
        assertEquals(jobs, Set.copyOf(records).size(), "no job ran twice");
        assertEquals(jobs, redis.counter("resque:stat:processed"));
        assertEquals(0, redis.counter("resque:stat:failed"));
    }

    @Test
    void jobsOfAnUnknownClassFailInNodeResqueWordsAndTheWorkerGoesOn() {
        node.enqueue("math", "nope", "[{}]");
        node.enqueue("math", "add", "[{\"a\":1}]");

        herald.startWorkers(1, "math");
        Await.until(() -> redis.counter("resque:stat:processed") == 1 && redis.llen("resque:failed") == 1,
                Duration.ofSeconds(60), "one job failed, the next one processed");

        JsonNode failure = node.operation(op("failed")).get(0);
        assertEquals("No job defined for class \"nope\"", failure.get("error").asText());
        assertEquals("nope", failure.get("payload").get("class").asText());
    }

    @Test
    void delayedJobsNodeSchedulesAreFoundRemovedAndMovedByHerald() {
        long dueMillis = System.currentTimeMillis() - 2_000;
        String dueJob = node.enqueue("later", "record", "[{\"n\":1}]", "--at", String.valueOf(dueMillis)).get(0);
        NodeProcess.Result scheduled = node.run("enqueue.js", "--queue", "later", "--class", "record", "--args",
                "[{\"n\":2}]", "--in", "3600000").requireSuccess();
        long laterSecond = scheduled.event("enqueued").get("scheduledAt").get(0).asLong();

        assertEquals(List.of(Instant.ofEpochSecond(laterSecond)),
                herald.tasks().scheduledAt("later", "record", Map.of("n", 2)));
        assertEquals(List.of(Instant.ofEpochSecond(laterSecond)),
                herald.tasks().delDelayed("later", "record", Map.of("n", 2)));
        assertEquals(0, node.operation(op("scheduledAt", "queue", "later", "class", "record", "args",
                JsJson.parse("[{\"n\":2}]"))).size());

        Scheduler scheduler = herald.startScheduler("herald-scheduler:1", Duration.ZERO, false);
        Await.until(() -> redis.llen("resque:queue:later") == 1, Duration.ofSeconds(60),
                "Herald's scheduler moved the due job");

        assertTrue(scheduler.isLeader());
        assertEquals("herald-scheduler:1", redis.get("resque:resque_scheduler_leader_lock"));
        assertEquals(List.of(dueJob), redis.lrange("resque:queue:later"));
        Await.until(() -> redis.zrange("resque:delayed_queue_schedule").isEmpty(), Duration.ofSeconds(30),
                "the schedule is empty");
        assertEquals(Set.of(), redis.keys("resque:delayed:*"));
        assertEquals(Set.of(), redis.keys("resque:timestamps:*"));
    }

    @Test
    void failuresNodeWritesAreReadRetriedAndRemovedByHerald() {
        String first = node.enqueue("math", "fail", "[{\"message\":\"node boom é\"}]").get(0);
        String second = node.enqueue("math", "fail", "[{\"message\":\"second\"}]").get(0);
        NodeProcess.Result worked = node.run("worker.js", "--queues", "math", "--jobs", "2").requireSuccess();
        String worker = worked.event("started").get("name").asText();

        List<FailedJob> failed = herald.tasks().failed(0, -1);
        assertEquals(2, failed.size());
        assertEquals(2, herald.tasks().failedCount());
        FailedJob boom = failed.get(0);
        assertEquals(worker, boom.worker());
        assertEquals("math", boom.queue());
        assertEquals("Error", boom.exception());
        assertEquals("node boom é", boom.error());
        assertEquals("fail", boom.payload().taskName());
        assertEquals(Map.of("message", "node boom é"), boom.payload().params());
        assertFalse(boom.backtrace().isEmpty());
        assertTrue(boom.failedAt().matches(Interop.JS_DATE), boom.failedAt());
        assertTrue(boom.raw().contains("\"payload\":" + first + ","), boom.raw());

        assertTrue(herald.tasks().removeFailed(boom));
        assertEquals(1, redis.llen("resque:failed"));
        assertTrue(herald.tasks().retryAndRemoveFailed(herald.tasks().failed(0, 0).get(0)));

        assertEquals(0, redis.llen("resque:failed"));
        assertEquals(List.of(second), redis.lrange("resque:queue:math"));
    }

    @Test
    void workersNodeRunsAreListedByHerald() {
        String worker = "interop-node:777";
        try (NodeProcess running = node.start("worker.js", "--name", worker, "--queues", "math,slow")) {
            running.awaitEvent("started", NodeResque.PROCESS_TIMEOUT);
            assertEquals(List.of(new WorkerStatus(worker, "math,slow", null, null)), herald.tasks().workers());

            node.enqueue("slow", "sleep", "[{\"ms\":4000}]");
            running.awaitEvent("job", NodeResque.PROCESS_TIMEOUT);

            WorkerStatus status = herald.tasks().workers().get(0);
            assertEquals(worker, status.worker());
            assertNotNull(status.job(), status.toString());
            assertEquals("sleep", status.job().taskName());
            assertEquals(Map.of("ms", 4000), status.job().params());
            assertTrue(status.runAt().matches(Interop.JS_DATE), status.runAt());
            QueueDetails details = herald.tasks().details();
            assertEquals(List.of(status), details.workers());
            assertEquals(0L, details.queues().get("slow"));

            running.stop(NodeResque.PROCESS_TIMEOUT).requireSuccess();
        }
        assertEquals(List.of(), herald.tasks().workers());
        assertEquals(1L, herald.tasks().stats().get("processed"));
    }

    @Test
    void heraldSchedulerForceCleansANodeWorkerKilledMidJob() {
        String worker = "interop-node:4343";
        String job = node.enqueue("slow", "sleep", "[{\"ms\":60000}]").get(0);
        try (NodeProcess running = node.start("worker.js", "--name", worker, "--queues", "slow")) {
            running.awaitEvent("job", NodeResque.PROCESS_TIMEOUT);
            running.kill();
        }
        assertEquals(Set.of(worker + ":slow"), redis.smembers("resque:workers"));

        herald.startScheduler("herald-scheduler:2", Duration.ofSeconds(1), false);
        Await.until(() -> redis.llen("resque:failed") == 1, Duration.ofSeconds(60),
                "Herald's scheduler force-cleaned the dead node-resque worker");

        JsonNode failure = Interop.json(redis.lrange("resque:failed").get(0));
        assertEquals(worker, failure.get("worker").asText());
        assertEquals("slow", failure.get("queue").asText());
        assertEquals("Worker Timeout (killed manually)", failure.get("exception").asText());
        assertEquals("queue#forceCleanWorker", failure.get("backtrace").get(1).asText());
        assertEquals(Interop.json(job), failure.get("payload"));
        assertEquals(Set.of(), redis.smembers("resque:workers"));
        assertFalse(redis.exists("resque:worker:ping:" + worker));
        // deliberately unlike node-resque's forceCleanWorker, the working-on key goes too (no orphan)
        assertFalse(redis.exists("resque:worker:" + worker + ":slow"));
        assertEquals(1, redis.counter("resque:stat:failed"));

        // node-resque's retryStuckJobs recognises the entry as a force-clean and enqueues the job again
        node.operation(op("retryStuckJobs"));
        assertEquals(List.of(job), redis.lrange("resque:queue:slow"));
        assertEquals(0, redis.llen("resque:failed"));
    }

    @Test
    void heraldAndNodeSchedulersShareOneLeaderLock() {
        try (NodeProcess nodeScheduler = node.start("scheduler.js", "--name", "node-scheduler:1", "--run-ms",
                "300000")) {
            nodeScheduler.awaitEvent("leader", NodeResque.PROCESS_TIMEOUT);
            Scheduler heraldScheduler = herald.startScheduler("herald-scheduler:3", Duration.ZERO, false);
            // Herald polls every 250 ms: over 1.5 s it tries several times and must not take the held lock
            long until = System.nanoTime() + Duration.ofMillis(1500).toNanos();
            while (System.nanoTime() < until) {
                assertFalse(heraldScheduler.isLeader());
                assertEquals("node-scheduler:1", redis.get("resque:resque_scheduler_leader_lock"));
                sleepQuietly(100);
            }

            nodeScheduler.stop(NodeResque.PROCESS_TIMEOUT).requireSuccess();
            Await.until(heraldScheduler::isLeader, Duration.ofSeconds(30),
                    "Herald's scheduler leads once node-resque's released the lock");
            assertEquals("herald-scheduler:3", redis.get("resque:resque_scheduler_leader_lock"));
            assertEquals("herald-scheduler:3", node.operation(op("leader")).asText());

            try (NodeProcess second = node.start("scheduler.js", "--name", "node-scheduler:2", "--run-ms",
                    "300000")) {
                second.awaitEvent("started", NodeResque.PROCESS_TIMEOUT);
                heraldScheduler.stop();
                second.awaitEvent("leader", NodeResque.PROCESS_TIMEOUT);
                assertEquals("node-scheduler:2", redis.get("resque:resque_scheduler_leader_lock"));
                second.stop(NodeResque.PROCESS_TIMEOUT).requireSuccess();
            }
        }
        assertFalse(redis.exists("resque:resque_scheduler_leader_lock"));
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
