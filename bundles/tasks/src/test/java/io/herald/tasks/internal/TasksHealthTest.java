package io.herald.tasks.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.herald.api.spi.HealthIndicator.Health;
import io.herald.redis.internal.RedisConnections;
import io.herald.tasks.internal.store.RedisResqueStore;
import io.herald.testing.Await;
import io.herald.testing.redis.RedisServer;
import io.herald.testing.redis.RespClient;

class TasksHealthTest {

    private final Harness harness = new Harness();
    private final TaskProcessor processor = harness.processor();

    @AfterEach
    void stop() {
        processor.stop();
    }

    private static Health health(TaskProcessor node) {
        return new TasksHealth(node, () -> null).health();
    }

    @SuppressWarnings("unchecked")
    private static List<String> problems(Health health) {
        return (List<String>) health.details().get("problems");
    }

    @Test
    void jobs_waiting_with_no_worker_in_the_cluster_are_degraded_and_a_running_pool_is_up() {
        processor.registry().addTask(new TestTasks.Recording(), TestTasks.props("hello").build(), TestTasks.nextOrder());
        processor.start(TasksSettings.from(Map.of(), "web"));
        processor.queue().enqueue("hello", Map.of());

        Health waiting = health(processor);
        assertEquals("tasks", waiting.name());
        assertEquals(Health.State.DEGRADED, waiting.state());
        assertEquals(1L, waiting.details().get("queued"));
        assertEquals(0, waiting.details().get("workers"));
        assertEquals("in-process", waiting.details().get("store"));
        assertEquals("off", waiting.details().get("scheduler"));
        assertEquals(List.of("jobs are waiting but no worker is registered in the cluster"), problems(waiting));

        processor.reconfigure(Harness.settings("scheduler", "true"));
        Await.until(() -> processor.queue().length("default") == 0, "job worked");
        Await.until(() -> "leader".equals(health(processor).details().get("scheduler")), "scheduler leads");
        Health up = health(processor);
        assertEquals(Health.State.UP, up.state());
        assertEquals(1, up.details().get("workers"));
        assertEquals(1, up.details().get("processors"));
        assertEquals("testhost:1", up.details().get("leader"));
        assertEquals(List.of(), problems(up));
    }

    @Test
    void a_node_not_ready_yet_is_up_and_says_its_processors_are_held() {
        processor.reconfigure(Harness.settings("scheduler", "true"));

        Health held = health(processor);

        assertEquals(Health.State.UP, held.state(), held.toString());
        assertTrue(String.valueOf(held.details().get("held")).startsWith("the node is not ready (herald.ready)"));
        assertEquals(0, held.details().get("processors"));
    }

    @Test
    void workers_failing_on_the_store_degrade_the_node_and_when_they_are_all_it_runs_it_is_down() {
        harness.store().set("queue:jobs", "not a list", 0); // every pop of queue jobs fails with WRONGTYPE
        processor.start(Harness.settings("queues", "jobs", "scheduler", "true"));

        Await.until(() -> health(processor).state() == Health.State.DEGRADED, "the failing worker is seen");
        Health partly = health(processor);
        assertEquals(1, problems(partly).size(), partly.toString());
        assertTrue(problems(partly).get(0).startsWith("1 of 1 task processors fail to reach the task store: "),
                partly.toString());

        processor.reconfigure(Harness.settings("queues", "jobs", "scheduler", "false"));
        Await.until(() -> health(processor).state() == Health.State.DOWN, "the node's only part is broken");
        assertTrue(problems(health(processor)).get(0).contains("fail to reach the task store"));
    }

    @Test
    void a_redis_store_that_cannot_be_used_is_degraded_and_a_store_that_cannot_be_read_is_down() {
        Health fallback = new TasksHealth(processor, () -> "the Redis tasks store cannot be used, jobs stay in this node:"
                + " no hash tag").health();
        assertEquals(Health.State.DEGRADED, fallback.state());
        assertEquals(List.of("the Redis tasks store cannot be used, jobs stay in this node: no hash tag"),
                problems(fallback));

        RedisServer server = RedisServer.start();
        try (RedisConnections.Opened connection = Harness.connect(server, 200)) {
            TaskProcessor node = new Harness(new RedisResqueStore(connection), "redisnode:1").processor();
            assertEquals(Health.State.UP, health(node).state());
            server.close();

            Health down = health(node);
            assertEquals(Health.State.DOWN, down.state(), down.toString());
            assertTrue(problems(down).get(0).startsWith("the task store cannot be read: "), down.toString());
        } finally {
            server.close();
        }
    }

    @Test
    void a_scheduler_that_cannot_take_the_leader_lock_degrades_the_node_and_is_down_where_it_is_all_that_runs() {
        try (RedisServer server = RedisServer.start();
                RedisConnections.Opened connection = Harness.connect(server, 200);
                RespClient redis = server.client()) {
            redis.callLong("RPUSH", "resque:resque_scheduler_leader_lock", "not a lock");
            TaskProcessor node = new Harness(new RedisResqueStore(connection), "redisnode:1").processor();
            try {
                node.start(Harness.settings("scheduler", "true"));

                Await.until(() -> problems(health(node)).stream().anyMatch(p -> p.startsWith("the scheduler's cycles")),
                        "the failing scheduler is seen");
                Health partly = health(node);
                assertEquals(Health.State.DEGRADED, partly.state(), partly.toString());
                assertEquals("unreadable", partly.details().get("leader"));

                node.reconfigure(Harness.settings("scheduler", "true", "maxTaskProcessors", "0",
                        "minTaskProcessors", "0"));
                Await.until(() -> health(node).state() == Health.State.DOWN, "the node's only part is broken");
            } finally {
                node.stop();
            }
        }
    }
}
