package io.herald.tasks.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;


/**
 * node-resque against node-resque on a real Redis, checked key by key: proves the harness (the scripts, the process
 * handling, the raw reads) and records node-resque's own layout (keys and payloads) that the Herald
 * interop tests then hold Herald to.
 */
class NodeResqueHarnessTest extends InteropTest {

    @Override
    boolean withHerald() {
        return false;
    }

    @Test
    void nodeEnqueuesAndNodeWorks() {
        List<String> encoded = node.enqueue("math", "add", "[1,2]", "--count", "3", "--indexed");

        // Queue.encode: JSON.stringify({class, queue, args}) — key order and bytes matter (LREM, timestamps:<job>)
        assertEquals(List.of("{\"class\":\"add\",\"queue\":\"math\",\"args\":[1,2,0]}",
                "{\"class\":\"add\",\"queue\":\"math\",\"args\":[1,2,1]}",
                "{\"class\":\"add\",\"queue\":\"math\",\"args\":[1,2,2]}"), encoded);
        assertEquals(encoded, redis.lrange("resque:queue:math"));
        assertEquals(Set.of("math"), redis.smembers("resque:queues"));

        NodeProcess.Result worked = node.run("worker.js", "--queues", "math", "--jobs", "3").requireSuccess();

        List<Integer> results = new ArrayList<>();
        worked.events("success").forEach(success -> results.add(success.get("result").asInt()));
        assertEquals(List.of(3, 4, 5), results);
        String worker = worked.event("started").get("name").asText();
        assertEquals(0, redis.llen("resque:queue:math"));
        assertEquals(3, redis.counter("resque:stat:processed"));
        // end() untracks: the worker's set member, ping, started, working-on key and per-worker stats are gone
        assertEquals(Set.of(), redis.smembers("resque:workers"));
        assertEquals(Set.of(), redis.keys("resque:worker:*"));
        assertFalse(redis.exists("resque:stat:processed:" + worker));
    }

    @Test
    void nodeWorkerFailureLandsInTheFailedListInNodeFormat() throws Exception {
        String job = node.enqueue("math", "fail", "[{\"message\":\"boom / é\"}]").get(0);

        NodeProcess.Result worked = node.run("worker.js", "--queues", "math", "--jobs", "1").requireSuccess();
        String worker = worked.event("started").get("name").asText();
        assertEquals("boom / é", worked.event("failure").get("error").get("message").asText());

        List<String> failed = redis.lrange("resque:failed");
        assertEquals(1, failed.size());
        String entry = failed.get(0);
        JsonNode failure = NodeResque.JSON.readTree(entry);
        List<String> fields = new ArrayList<>();
        failure.fieldNames().forEachRemaining(fields::add);
        assertEquals(List.of("worker", "queue", "payload", "exception", "error", "backtrace", "failed_at"), fields);
        assertEquals(worker, failure.get("worker").asText());
        assertEquals("math", failure.get("queue").asText());
        assertTrue(entry.contains("\"payload\":" + job + ","), entry);
        assertEquals("Error", failure.get("exception").asText());
        assertEquals("boom / é", failure.get("error").asText());
        assertTrue(failure.get("backtrace").isArray() && failure.get("backtrace").size() > 0, entry);
        assertTrue(failure.get("failed_at").asText().matches(Interop.JS_DATE), failure.get("failed_at").asText());
        assertEquals(1, redis.counter("resque:stat:failed"));
        assertEquals(0, redis.counter("resque:stat:processed"));
        // what node-resque's removeFailed LREMs is JSON.stringify of the parsed entry: the stored bytes again
        assertEquals(entry, node.stringify(entry));

        assertEquals(1, node.operation("{\"op\":\"removeFailed\",\"index\":0}").asInt());
        assertEquals(0, redis.llen("resque:failed"));
    }

    @Test
    void nodeRetriesAFailedJobBackIntoItsQueue() {
        String job = node.enqueue("math", "fail", "[]").get(0);
        node.run("worker.js", "--queues", "math", "--jobs", "1").requireSuccess();

        assertTrue(node.operation("{\"op\":\"retryAndRemoveFailed\",\"index\":0}").asBoolean());

        assertEquals(0, redis.llen("resque:failed"));
        assertEquals(List.of(job), redis.lrange("resque:queue:math"));
    }

    @Test
    void nodeSchedulerMovesADueDelayedJob() {
        long dueMillis = System.currentTimeMillis() - 2_000;
        NodeProcess.Result enqueued = node.run("enqueue.js", "--queue", "later", "--class", "record", "--args",
                "[{\"n\":1.5,\"s\":\"a/é\"}]", "--at", String.valueOf(dueMillis)).requireSuccess();
        String job = enqueued.event("enqueued").get("encoded").asText();
        long timestamp = enqueued.event("enqueued").get("scheduledAt").get(0).asLong();

        // resque-scheduler layout: the schedule ZSET holds seconds, one list per second, one set per payload
        assertEquals(Math.round(dueMillis / 1000.0), timestamp);
        assertEquals(List.of(String.valueOf(timestamp)), redis.zrange("resque:delayed_queue_schedule"));
        assertEquals(List.of(job), redis.lrange("resque:delayed:" + timestamp));
        assertEquals(Set.of("delayed:" + timestamp), redis.smembers("resque:timestamps:" + job));

        NodeProcess.Result scheduled = node.run("scheduler.js", "--until-transferred", "1").requireSuccess();
        assertEquals(1, scheduled.events("leader").size());

        assertEquals(List.of(job), redis.lrange("resque:queue:later"));
        assertEquals(List.of(), redis.zrange("resque:delayed_queue_schedule"));
        assertFalse(redis.exists("resque:delayed:" + timestamp));
        assertFalse(redis.exists("resque:timestamps:" + job));
        // end() releases the leader lock it holds
        assertFalse(redis.exists("resque:resque_scheduler_leader_lock"));

        node.run("worker.js", "--queues", "later", "--jobs", "1").requireSuccess();
        assertEquals(List.of("[{\"n\":1.5,\"s\":\"a/é\"}]"), redis.lrange(NodeResque.RECORD_KEY));
    }

    @Test
    void nodeSchedulerForceCleansAWorkerThatDiedMidJob() {
        String job = node.enqueue("slow", "sleep", "[60000]").get(0);
        String worker = "interop-host:4242";
        try (NodeProcess running = node.start("worker.js", "--queues", "slow", "--name", worker, "--poll-ms",
                "500")) {
            running.awaitEvent("job", NodeResque.PROCESS_TIMEOUT);
            running.kill();
        }
        assertEquals(Set.of(worker + ":slow"), redis.smembers("resque:workers"));
        assertTrue(redis.exists("resque:worker:ping:" + worker));
        assertTrue(redis.get("resque:worker:" + worker + ":slow").contains("\"payload\":{"));

        NodeProcess.Result scheduled = node.run("scheduler.js", "--stuck-worker-timeout-ms", "1000",
                "--until-cleaned", "1").requireSuccess();

        assertEquals(worker, scheduled.event("cleanStuckWorker").get("worker").asText());
        assertEquals(Set.of(), redis.smembers("resque:workers"));
        assertFalse(redis.exists("resque:worker:ping:" + worker));
        assertEquals(1, redis.counter("resque:stat:failed"));
        List<String> failed = redis.lrange("resque:failed");
        assertEquals(1, failed.size());
        JsonNode failure = Interop.json(failed.get(0));
        assertEquals(worker, failure.get("worker").asText());
        assertEquals("Worker Timeout (killed manually)", failure.get("exception").asText());
        assertEquals("queue#forceCleanWorker", failure.get("backtrace").get(1).asText());
        assertEquals(Interop.json(job), failure.get("payload"));
    }
}
