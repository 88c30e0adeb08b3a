package io.herald.tasks.internal.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.herald.core.ParamChecks;
import io.herald.redis.RedisConnection;
import io.herald.redis.internal.RedisConnections;
import io.herald.tasks.internal.TaskProcessor;
import io.herald.tasks.internal.TasksSettings;
import io.herald.tasks.internal.wire.JsJson;
import io.herald.testing.Await;
import io.herald.testing.redis.RedisServer;
import io.herald.testing.redis.RespClient;

/**
 * A pop that took a job on Redis but failed for its worker (the reply was lost and Redis stayed unreachable for the
 * whole retry window): the worker holds the job, and the store hands it back to the worker's next pop, which polls its
 * first queue again. The worker performs the job as coming from the queue it was taken from (the failure entry, and
 * the job's queue when the payload names none), not from the queue that pop happened to poll.
 */
class WorkerAfterAFailedPopTest {

    /** A job of a task nobody defines: it fails at once; its failure entry names the queue it was performed from. */
    private static final String JOB = "{\"class\":\"ghost\",\"queue\":\"second\",\"args\":[{\"n\":1}]}";

    @Test
    void theJobAFailedPopTookIsPerformedFromTheQueueItCameFrom() throws Exception {
        try (RedisServer server = RedisServer.start();
                RespClient redis = server.client();
                ReplyDroppingProxy proxy = new ReplyDroppingProxy(server.port());
                // commands retried for 300 ms only: the pop fails for the worker instead of being run again
                RedisConnections.Opened connection = StoreConnections.standalone(server.host(), proxy.port(), 300)) {
            TaskProcessor node = new TaskProcessor(ParamChecks.standard(), new RedisResqueStore(connection), "held");
            node.start(TasksSettings.from(Map.of("queues", "first,second", "minTaskProcessors", 1,
                    "maxTaskProcessors", 1, "timeout", 100, "checkTimeout", 50, "scheduler", false), "worker"));
            try {
                Await.until(() -> node.pool().workerNames().size() == 1, "a worker polls");
                String worker = node.pool().workerNames().get(0);

                proxy.dropTheNextReplyOfTypeContainingAndGoDown('*', "ghost"); // the claim of the job, from "second"
                redis.call("SADD", "resque:queues", "second");
                redis.call("RPUSH", "resque:queue:second", JOB);
                Await.until(proxy::dropped, "the reply of the pop that took the job was dropped");
                Await.until(() -> connection.state() == RedisConnection.State.DOWN,
                        "Redis unreachable for longer than the retry window: the pop failed for the worker");
                assertEquals(0L, redis.call("LLEN", "resque:queue:second"), "the pop ran on Redis");

                proxy.heal();
                Await.until(() -> (Long) redis.call("LLEN", "resque:failed") == 1, "the job ended");
                Map<String, Object> failure = JsJson.parseObject(redis.callString("LINDEX", "resque:failed", "0"));
                assertEquals("second", failure.get("queue"), "performed from the queue it was taken from");
                assertEquals(JsJson.parse(JOB), failure.get("payload"));
                assertEquals(worker, failure.get("worker"));
                String error = String.valueOf(failure.get("error"));
                assertTrue(error.contains("ghost"), error);
                assertEquals(0L, redis.call("EXISTS", "resque:worker:" + worker + ":first,second"), "no job held");
                assertEquals(List.of("1", "1"), List.of(redis.callString("GET", "resque:stat:failed"),
                        redis.callString("GET", "resque:stat:failed:" + worker)), "counted once");
            } finally {
                node.stop();
            }
        }
    }
}
