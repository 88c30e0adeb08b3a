package io.herald.tasks.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.herald.api.spi.HealthIndicator.Health;

class TasksHealthTest {

    private final Harness harness = new Harness();
    private final TaskProcessor processor = harness.processor();

    @AfterEach
    void stop() {
        processor.stop();
    }

    @Test
    void jobs_waiting_with_no_worker_in_the_cluster_are_degraded_and_a_running_pool_is_up() {
        processor.registry().addTask(new TestTasks.Recording(), TestTasks.props("hello").build(), TestTasks.nextOrder());
        processor.start(TasksSettings.from(Map.of(), "web"));
        processor.queue().enqueue("hello", Map.of());

        Health waiting = new TasksHealth(processor).health();
        assertEquals("tasks", waiting.name());
        assertEquals(Health.State.DEGRADED, waiting.state());
        assertEquals(1L, waiting.details().get("queued"));
        assertEquals(0, waiting.details().get("workers"));
        assertEquals("in-process", waiting.details().get("store"));
        assertEquals("off", waiting.details().get("scheduler"));

        processor.reconfigure(Harness.settings("scheduler", "true"));
        Await.until(() -> processor.queue().length("default") == 0, "job worked");
        Await.until(() -> "leader".equals(new TasksHealth(processor).health().details().get("scheduler")),
                "scheduler leads");
        Health up = new TasksHealth(processor).health();
        assertEquals(Health.State.UP, up.state());
        assertEquals(1, up.details().get("workers"));
        assertEquals(1, up.details().get("processors"));
        assertEquals("testhost:1", up.details().get("leader"));
    }
}
