package io.herald.tasks.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.herald.api.task.FailedJob;
import io.herald.api.task.Job;
import io.herald.api.task.TaskException;
import io.herald.redis.internal.RedisConnections;
import io.herald.tasks.internal.store.RedisResqueStore;
import io.herald.testing.Await;
import io.herald.testing.redis.RedisServer;
import io.herald.testing.redis.RespClient;

/** A node's workers and scheduler against a real redis-server, read back with plain Redis commands. */
class RedisTasksTest {

    @Test
    void workers_and_the_scheduler_run_jobs_delayed_jobs_failures_and_a_recurring_task_on_redis() {
        try (RedisServer server = RedisServer.start();
                RedisConnections.Opened connection = Harness.connect(server, 10_000);
                RespClient redis = server.client()) {
            TaskProcessor node = new Harness(new RedisResqueStore(connection), "redisnode:1").processor();
            TestTasks.Recording hello = new TestTasks.Recording();
            TestTasks.Recording tick = new TestTasks.Recording();
            node.registry().addTask(hello, TestTasks.props("hello").build(), TestTasks.nextOrder());
            node.registry().addTask(new TestTasks.Failing(), TestTasks.props("explode").build(), TestTasks.nextOrder());
            node.registry().addTask(tick, TestTasks.props("tick").frequency(300).build(), TestTasks.nextOrder());
            // Two workers that stay: an idle one the pool let go (after the 100 ms timeout) would take its ping key with it.
            node.start(Harness.settings("minTaskProcessors", "2", "maxTaskProcessors", "2", "scheduler", "true",
                    "stuckWorkerTimeout", "60000"));
            try {
                for (int i = 0; i < 3; i++) {
                    node.queue().enqueue("hello", Map.of("n", i));
                }
                node.queue().enqueueIn(Duration.ofSeconds(1), "hello", Map.of("n", "later"));
                node.queue().enqueue("explode", Map.of());

                Await.until(() -> hello.count() == 4, "four hello jobs, one of them delayed");
                Await.until(() -> node.queue().failedCount() == 1, "the failure recorded");
                Await.until(() -> tick.count() >= 2, "the recurring task ran twice");

                assertEquals("redisnode:1", redis.callString("GET", "resque:resque_scheduler_leader_lock"));
                FailedJob failed = node.queue().failed(0, 0).get(0);
                assertEquals(new Job("explode", "default", List.of(Map.of())), failed.payload());
                String raw = (String) redis.callList("LRANGE", "resque:failed", "0", "0").get(0);
                assertTrue(raw.startsWith("{\"worker\":\"" + failed.worker() + "\",\"queue\":\"default\",\"payload\":"
                        + "{\"class\":\"explode\",\"queue\":\"default\",\"args\":[{}]},\"exception\":"), raw);
                assertEquals(1, redis.callLong("EXISTS", "resque:worker:ping:" + failed.worker()));
                assertTrue(Long.parseLong(redis.callString("GET", "resque:stat:processed")) >= 5);
            } finally {
                node.stop();
            }
            assertEquals(List.of(), redis.callList("SMEMBERS", "resque:workers"));
            assertEquals(0, redis.callLong("EXISTS", "resque:resque_scheduler_leader_lock"));
            assertEquals(1, node.queue().scheduledAt(null, "tick", Map.of()).size(), "the next run is delayed");
        }
    }

    @Test
    void a_redis_that_cannot_be_reached_makes_enqueue_fail_as_unavailable() {
        try (RedisServer server = RedisServer.start(); RedisConnections.Opened connection = Harness.connect(server, 300)) {
            TaskProcessor node = new Harness(new RedisResqueStore(connection), "redisnode:2").processor();
            node.registry().addTask(new TestTasks.Recording(), TestTasks.props("hello").build(), TestTasks.nextOrder());
            server.stop();

            TaskException e = assertThrows(TaskException.class, () -> node.queue().enqueue("hello", Map.of()));

            assertEquals(TaskException.Reason.UNAVAILABLE, e.reason());
            assertTrue(e.getMessage().startsWith("task storage unavailable: "), e.getMessage());
        }
    }

    /** What the dashboard's actions do (resque:runDelayed, resque:forceCleanWorker, resque:recurring), on Redis keys. */
    @Test
    void a_delayed_job_run_now_a_worker_cleaned_by_name_and_the_recurring_tasks_on_redis() {
        try (RedisServer server = RedisServer.start();
                RedisConnections.Opened connection = Harness.connect(server, 10_000);
                RespClient redis = server.client()) {
            Harness harness = new Harness(new RedisResqueStore(connection), "redisnode:3");
            TaskProcessor node = harness.processor();
            node.registry().addTask(new TestTasks.Recording(), TestTasks.props("hello").queue("mail").build(),
                    TestTasks.nextOrder());
            node.registry().addTask(new TestTasks.Recording(), TestTasks.props("tick").frequency(60_000).build(),
                    TestTasks.nextOrder());
            java.time.Instant at = java.time.Instant.ofEpochSecond(java.time.Instant.now().getEpochSecond() + 3600);
            node.queue().enqueueAt(at, "hello", Map.of("n", 1));
            node.queue().enqueueAt(at, "tick", Map.of());

            assertTrue(node.queue().runDelayed(at, new Job("hello", "mail", List.of(Map.of("n", 1)))));
            assertEquals(List.of("{\"class\":\"hello\",\"queue\":\"mail\",\"args\":[{\"n\":1}]}"),
                    redis.callList("LRANGE", "resque:queue:mail", "0", "-1"));
            assertEquals(List.of("{\"class\":\"tick\",\"queue\":\"default\",\"args\":[{}]}"),
                    redis.callList("LRANGE", "resque:delayed:" + at.getEpochSecond(), "0", "-1"), "the other job stays");
            assertEquals(0, redis.callLong("EXISTS", "resque:timestamps:{\"class\":\"hello\",\"queue\":\"mail\","
                    + "\"args\":[{\"n\":1}]}"));
            assertEquals(List.of(new io.herald.api.task.RecurringTask("tick", "default", Duration.ofMinutes(1), List.of(at))),
                    node.queue().recurringTasks());

            String worker = "gonehost:77+1";
            harness.store().registerWorker(worker, "mail", at.getEpochSecond());
            harness.store().popAndStore("mail", worker, "mail", "Mon Dec 07 2026 10:00:00 GMT+0000");
            assertEquals("hello", node.queue().forceCleanWorker(worker).job().taskName());
            assertEquals(List.of(), redis.callList("SMEMBERS", "resque:workers"));
            assertEquals(0, redis.callLong("EXISTS", "resque:worker:" + worker + ":mail"));
            assertEquals(1, node.queue().failedCount());
            assertEquals(null, node.queue().forceCleanWorker(worker), "gone");
        }
    }
}
