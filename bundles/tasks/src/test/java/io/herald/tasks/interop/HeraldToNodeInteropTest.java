package io.herald.tasks.interop;

import static io.herald.tasks.interop.NodeResque.op;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.herald.tasks.internal.wire.ResqueSeconds;
import io.herald.tasks.internal.worker.WorkerPool;
import io.herald.testing.Await;

/**
 * Herald writes, node-resque 9.7.1 reads and acts: jobs Herald enqueues are worked by
 * a node-resque worker with the same params; delayed jobs Herald schedules are found, removed and moved by
 * node-resque; Herald's failed entries are read, retried and removed by node-resque (whose {@code removeFailed} LREMs
 * its own re-serialization, so this needs Herald's bytes to be JSON.stringify's); Herald's workers are listed by
 * node-resque, and a Herald worker JVM killed mid-job is force-cleaned by node-resque's scheduler through its ping key.
 */
class HeraldToNodeInteropTest extends InteropTest {

    @Test
    void jobsHeraldEnqueuesAreWorkedByNodeWithTheSameParams() {
        assertTrue(herald.tasks().enqueue("add", ordered("a", 1, "b", 2), "math"));
        // a Java map in an order JavaScript would not keep ("2" before "1"): the bytes must be JavaScript's
        List<Object> list = new ArrayList<>();
        list.add(true);
        list.add(null);
        list.add(0.1);
        assertTrue(herald.tasks().enqueue("record", ordered("s", "a/é ü", "n", 1.5, "i", 10_000_000_000L,
                "nested", ordered("2", "x", "1", "y"), "list", list), "math"));

        String addJob = "{\"class\":\"add\",\"queue\":\"math\",\"args\":[{\"a\":1,\"b\":2}]}";
        String recordJob = "{\"class\":\"record\",\"queue\":\"math\",\"args\":[" + TRICKY_PARAMS + "]}";
        assertEquals(List.of(addJob, recordJob), redis.lrange("resque:queue:math"));
        assertEquals(Set.of("math"), redis.smembers("resque:queues"));
        assertEquals(recordJob, node.stringify(recordJob));

        NodeProcess.Result worked = node.run("worker.js", "--queues", "math", "--jobs", "2").requireSuccess();

        assertEquals(List.of(), worked.events("failure"));
        assertEquals(3, worked.events("success").get(0).get("result").asInt());
        assertEquals(List.of("[" + TRICKY_PARAMS + "]"), redis.lrange(NodeResque.RECORD_KEY));
        assertEquals(2, redis.counter("resque:stat:processed"));
        assertEquals(0, redis.llen("resque:queue:math"));
    }

    @Test
    void delayedJobsHeraldSchedulesAreFoundRemovedAndMovedByNode() {
        Instant due = Instant.now().minusSeconds(2);
        Instant later = Instant.now().plus(Duration.ofHours(1));
        assertTrue(herald.tasks().enqueueAt(due, "record", Map.of("n", 1), "later", false));
        assertTrue(herald.tasks().enqueueAt(later, "record", Map.of("n", 2), "later", false));
        String dueJob = "{\"class\":\"record\",\"queue\":\"later\",\"args\":[{\"n\":1}]}";
        long dueSecond = ResqueSeconds.of(due.toEpochMilli());
        long laterSecond = ResqueSeconds.of(later.toEpochMilli());
        assertEquals(List.of(dueJob), redis.lrange("resque:delayed:" + dueSecond));

        List<JsonNode> found = node.operations(
                op("scheduledAt", "queue", "later", "class", "record", "args", List.of(Map.of("n", 1))),
                op("delDelayed", "queue", "later", "class", "record", "args", List.of(Map.of("n", 2))));
        assertEquals(dueSecond, found.get(0).get("value").get(0).asLong(), found.toString());
        assertEquals(laterSecond, found.get(1).get("value").get(0).asLong(), found.toString());
        assertEquals(List.of(), herald.tasks().scheduledAt("later", "record", Map.of("n", 2)));

        node.run("scheduler.js", "--until-transferred", "1").requireSuccess();

        assertEquals(List.of(dueJob), redis.lrange("resque:queue:later"));
        // node-resque's delDelayed leaves the emptied second in the schedule; its scheduler drops it when it is due
        assertEquals(List.of(String.valueOf(laterSecond)), redis.zrange("resque:delayed_queue_schedule"));
        assertEquals(Set.of(), redis.keys("resque:delayed:*"));
        assertEquals(Set.of(), redis.keys("resque:timestamps:*"));
    }

    @Test
    void failuresHeraldWritesAreReadRetriedAndRemovedByNode() {
        WorkerPool pool = herald.startWorkers(1, "math");
        herald.tasks().enqueue("fail", Map.of("message", "boom é"), "math");
        herald.tasks().enqueue("fail", Map.of("message", "second"), "math");
        Await.until(() -> redis.llen("resque:failed") == 2, Duration.ofSeconds(60), "2 failed entries");
        String worker = pool.workerNames().get(0);
        pool.stop();

        List<String> raw = redis.lrange("resque:failed");
        for (String entry : raw) {
            // node-resque's removeFailed and retryAndRemoveFailed LREM JSON.stringify of what they parsed
            assertEquals(entry, node.stringify(entry));
        }
        JsonNode failed = node.operation(op("failed", "start", 0, "stop", -1));
        assertEquals(2, failed.size());
        JsonNode first = failed.get(0);
        assertEquals(worker, first.get("worker").asText());
        assertTrue(worker.matches(".+:\\d+\\+\\d+"), "host:pid+N: " + worker);
        assertEquals("math", first.get("queue").asText());
        assertEquals(Interop.json("{\"class\":\"fail\",\"queue\":\"math\",\"args\":[{\"message\":\"boom é\"}]}"),
                first.get("payload"));
        assertEquals("boom é", first.get("error").asText());
        assertFalse(first.get("exception").asText().isEmpty());
        assertTrue(first.get("backtrace").isArray());
        assertFalse(node.operation(op("parseDate", "text", first.get("failed_at").asText())).isNull(),
                "JavaScript reads failed_at: " + first.get("failed_at"));

        assertEquals(1, node.operation(op("removeFailed", "index", 0)).asInt());
        assertTrue(node.operation(op("retryAndRemoveFailed", "index", 0)).asBoolean());

        assertEquals(0, redis.llen("resque:failed"));
        assertEquals(List.of("{\"class\":\"fail\",\"queue\":\"math\",\"args\":[{\"message\":\"second\"}]}"),
                redis.lrange("resque:queue:math"));
    }

    @Test
    void workersHeraldRunsAreListedByNode() {
        WorkerPool pool = herald.startWorkers(2, "math", "slow");
        List<String> names = pool.workerNames();
        assertEquals(2, names.size());

        JsonNode workers = node.operation(op("workers"));
        assertEquals(new TreeSet<>(names), fieldNames(workers));
        names.forEach(name -> assertEquals("math,slow", workers.get(name).asText()));
        for (String name : names) {
            JsonNode ping = Interop.json(redis.get("resque:worker:ping:" + name));
            assertEquals(name, ping.get("name").asText());
            assertEquals("math,slow", ping.get("queues").asText());
            assertTrue(Math.abs(ping.get("time").asLong() - Instant.now().getEpochSecond()) < 120, ping.toString());
        }

        herald.tasks().enqueue("sleep", Map.of("ms", 4000), "slow");
        Await.until(() -> !redis.keys("resque:worker:*:math,slow").isEmpty(), Duration.ofSeconds(30),
                "a Herald worker works on the sleep job");
        JsonNode workingOn = node.operation(op("allWorkingOn"));
        String busy = redis.keys("resque:worker:*:math,slow").iterator().next()
                .replaceFirst("^resque:worker:", "").replaceFirst(":math,slow$", "");
        JsonNode status = workingOn.get(busy);
        assertNotNull(status, workingOn.toString());
        assertEquals("slow", status.get("queue").asText());
        assertEquals(busy, status.get("worker").asText());
        assertEquals("sleep", status.get("payload").get("class").asText());
        JsonNode runAt = node.operation(op("parseDate", "text", status.get("run_at").asText()));
        assertFalse(runAt.isNull(), "node-resque's cleanOldWorkers reads run_at with Date.parse: " + status);
        assertTrue(Math.abs(runAt.asLong() - System.currentTimeMillis()) < 120_000, status.toString());

        pool.stop();

        assertEquals(0, node.operation(op("workers")).size());
        assertEquals(Set.of(), redis.keys("resque:worker:*"));
        assertEquals(1, redis.counter("resque:stat:processed"));
    }

    @Test
    void nodeSchedulerForceCleansAHeraldWorkerKilledMidJob() {
        String worker;
        try (NodeProcess child = HeraldWorkerProcess.start(REDIS.host(), REDIS.port(), 1, "slow")) {
            worker = child.awaitEvent("started", NodeResque.PROCESS_TIMEOUT).get("workers").get(0).asText();
            String job = node.enqueue("slow", "sleep", "[{\"ms\":60000}]").get(0);
            Await.until(() -> redis.exists("resque:worker:" + worker + ":slow"), Duration.ofSeconds(60),
                    "the Herald worker in the child JVM works on the job");
            child.kill();

            assertEquals(Set.of(worker + ":slow"), redis.smembers("resque:workers"));
            assertTrue(redis.exists("resque:worker:ping:" + worker));

            NodeProcess.Result scheduled = node.run("scheduler.js", "--stuck-worker-timeout-ms", "1000",
                    "--until-cleaned", "1").requireSuccess();

            assertEquals(worker, scheduled.event("cleanStuckWorker").get("worker").asText());
            assertEquals(Set.of(), redis.smembers("resque:workers"));
            assertFalse(redis.exists("resque:worker:ping:" + worker));
            assertEquals(1, redis.counter("resque:stat:failed"));
            JsonNode failure = Interop.json(redis.lrange("resque:failed").get(0));
            assertEquals("Worker Timeout (killed manually)", failure.get("error").asText());
            assertEquals("slow", failure.get("queue").asText());
            assertEquals(Interop.json(job), failure.get("payload"));

            // node-resque's retryStuckJobs recognises its own force-clean entry and enqueues the job again
            node.operation(op("retryStuckJobs"));
            assertEquals(List.of(job), redis.lrange("resque:queue:slow"));
            assertEquals(0, redis.llen("resque:failed"));
        }
    }

    private static Map<String, Object> ordered(Object... keysAndValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i + 1 < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }

    private static Set<String> fieldNames(JsonNode object) {
        Set<String> names = new TreeSet<>();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
