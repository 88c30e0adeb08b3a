package io.herald.tasks.internal.failover;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.herald.api.Input;
import io.herald.api.Inputs;
import io.herald.core.ParamChecks;
import io.herald.redis.internal.RedisConnections;
import io.herald.tasks.internal.TaskProcessor;
import io.herald.tasks.internal.TasksSettings;
import io.herald.tasks.internal.TestTasks;
import io.herald.tasks.internal.store.RedisResqueStore;
import io.herald.tasks.internal.wire.JsDate;
import io.herald.testing.Await;
import io.herald.testing.redis.RedisServer;
import io.herald.testing.redis.RespClient;

/**
 * Issue 4's bad input, on a real Redis, written there with a plain {@code RPUSH} as another client would write it:
 * WorkerTest covers the same table on the in-process store; here the jobs go through the Redis store's
 * {@code popAndStore} script, which must not lose a payload that is not JSON (node-resque's script fails after its
 * LPOP, and the job vanishes). Each bad job ends in {@code resque:failed} with a clear error; the worker keeps working.
 */
class BadInputTest {

    private static final String QUEUE = "q";
    private static final Duration BOUND = Duration.ofSeconds(60);

    @Test
    void bad_jobs_pushed_raw_fail_with_a_clear_error_and_the_worker_keeps_working() {
        try (RedisServer server = RedisServer.start();
                RespClient redis = server.client();
                RedisConnections.Opened connection = Failures.standalone(server.host(), server.port(), 5000)) {
            TaskProcessor node = new TaskProcessor(ParamChecks.standard(), new RedisResqueStore(connection),
                    "bad-input");
            TestTasks.Recording hello = new TestTasks.Recording(Inputs.of(Input.required("name")
                    .validator(value -> value instanceof String text && !text.isBlank() ? null
                            : "name must be a non-empty string")));
            node.registry().addTask(hello, TestTasks.props("sayHello").queue(QUEUE).build(), TestTasks.nextOrder());
            List<String> bad = List.of(
                    "this is not json",
                    "{\"class\":\"sayHello\",\"queue\":\"q\",\"args\":[{\"name\":", // starts like JSON, is not
                    "{\"class\":\"ghost\",\"queue\":\"q\",\"args\":[{\"name\":\"x\"}]}",
                    "{\"class\":\"sayHello\",\"queue\":\"q\",\"args\":[{}]}",
                    "{\"class\":\"sayHello\",\"queue\":\"q\",\"args\":[{\"name\":42}]}");
            String good = "{\"class\":\"sayHello\",\"queue\":\"q\",\"args\":[{\"name\":\"ok\"}]}";
            redis.call("SADD", "resque:queues", QUEUE);
            for (String job : bad) {
                redis.call("RPUSH", "resque:queue:" + QUEUE, job);
            }
            redis.call("RPUSH", "resque:queue:" + QUEUE, good);

            node.start(TasksSettings.from(Map.of("queues", QUEUE, "minTaskProcessors", 1, "maxTaskProcessors", 1,
                    "timeout", 200, "checkTimeout", 50, "scheduler", false), "worker"));
            try {
                String worker = node.pool().workerNames().get(0);
                Await.until(() -> hello.count() == 1 && redis.callLong("LLEN", "resque:failed") == bad.size(),
                        BOUND, "the good job run and " + bad.size() + " failures");

                List<JsonNode> failed = Failures.lrange(redis, "resque:failed").stream().map(Failures::json).toList();
                for (int i = 0; i < bad.size(); i++) {
                    JsonNode entry = failed.get(i);
                    assertEquals(worker, entry.get("worker").asText(), entry.toString());
                    assertEquals(QUEUE, entry.get("queue").asText(), entry.toString());
                    assertTrue(JsDate.parse(entry.get("failed_at").asText()).isPresent(), entry.toString());
                }
                // not JSON: kept whole, as a JSON string, so the operator sees what was pushed
                assertEquals("SyntaxError", failed.get(0).get("exception").asText());
                assertTrue(failed.get(0).get("error").asText().startsWith("job payload is not JSON: "),
                        failed.get(0).toString());
                assertEquals(bad.get(0), failed.get(0).get("payload").asText());
                assertEquals("SyntaxError", failed.get(1).get("exception").asText());
                assertTrue(failed.get(1).get("error").asText().startsWith("job payload is not JSON: "),
                        failed.get(1).toString());
                assertEquals(bad.get(1), failed.get(1).get("payload").asText());
                // an unknown class: node-resque's words
                assertEquals("No job defined for class \"ghost\"", failed.get(2).get("error").asText());
                assertEquals(Failures.json(bad.get(2)), failed.get(2).get("payload"));
                // args failing the inputs: the core's messages
                assertEquals("io.herald.api.task.TaskException", failed.get(3).get("exception").asText());
                assertEquals("task sayHello: name is a required parameter for this action",
                        failed.get(3).get("error").asText());
                assertEquals(Failures.json(bad.get(3)), failed.get(3).get("payload"));
                assertEquals("io.herald.api.task.TaskException", failed.get(4).get("exception").asText());
                assertEquals("task sayHello: name must be a non-empty string", failed.get(4).get("error").asText());
                assertEquals(Failures.json(bad.get(4)), failed.get(4).get("payload"));

                assertEquals(List.of(Map.of("name", "ok")), hello.runs());
                assertEquals(bad.size(), Failures.counter(redis, "resque:stat:failed"));
                assertEquals(bad.size(), Failures.counter(redis, "resque:stat:failed:" + worker));
                Await.until(() -> Failures.counter(redis, "resque:stat:processed") == 1, BOUND,
                        "the good job counted");
                assertEquals(0, redis.callLong("LLEN", "resque:queue:" + QUEUE));
                assertEquals(0, redis.callLong("EXISTS", "resque:worker:" + worker + ":" + QUEUE), "no job held");

                // and it still works: a job enqueued through the API after the bad ones
                node.queue().enqueue("sayHello", Map.of("name", "after"));
                Await.until(() -> hello.count() == 2, BOUND, "a later job runs");
                assertEquals(Map.of("name", "after"), hello.runs().get(1));
                assertEquals(List.of(worker + ":" + QUEUE),
                        Failures.strings(redis.callList("SMEMBERS", "resque:workers")));
            } finally {
                node.stop();
            }
        }
    }
}
