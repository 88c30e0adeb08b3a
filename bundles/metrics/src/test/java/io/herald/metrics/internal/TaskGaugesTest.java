package io.herald.metrics.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import io.herald.api.task.Job;
import io.herald.api.task.QueueDetails;
import io.herald.api.task.TaskQueue;
import io.herald.api.task.WorkerStatus;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import org.junit.jupiter.api.Test;

class TaskGaugesTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final AtomicReference<Object> details = new AtomicReference<>();
    /** A TaskQueue that answers details() with what the test set (a QueueDetails, or an exception to throw). */
    private final TaskQueue queue = (TaskQueue) Proxy.newProxyInstance(getClass().getClassLoader(),
            new Class<?>[] {TaskQueue.class}, (proxy, method, args) -> {
                if (!method.getName().equals("details")) {
                    throw new UnsupportedOperationException(method.getName());
                }
                if (details.get() instanceof RuntimeException e) {
                    throw e;
                }
                return details.get();
            });
    private final AtomicReference<TaskQueue> service = new AtomicReference<>(queue);
    private final TaskGauges gauges = new TaskGauges(registry, service::get);

    private double gauge(String name, String... tags) {
        return registry.find(name).tags(tags).gauge().value();
    }

    @Test
    void queues_workers_counters_and_leader_come_from_the_details() {
        Job job = new Job("sendEmail", "mail", List.of(Map.of()));
        details.set(new QueueDetails(Map.of("mail", 3L, "default", 0L),
                List.of(new WorkerStatus("h:1+1", "*", job, "now"), new WorkerStatus("h:1+2", "*", null, null)),
                Map.of("processed", 10L, "failed", 2L, "processed:h:1+1", 5L), 2, 4, "h:1"));
        gauges.refresh();
        assertEquals(3, gauge("herald.task.queue.length", "queue", "mail"));
        assertEquals(0, gauge("herald.task.queue.length", "queue", "default"));
        assertEquals(1, gauge("herald.task.workers", "state", "working"));
        assertEquals(1, gauge("herald.task.workers", "state", "idle"));
        assertEquals(2, gauge("herald.task.failed.jobs"));
        assertEquals(4, gauge("herald.task.delayed.jobs"));
        assertEquals(1, gauge("herald.task.leader", "leader", "h:1"));
        assertEquals(10, registry.find("herald.task.resque.processed").functionCounter().count());
        assertEquals(2, registry.find("herald.task.resque.failed").functionCounter().count());
        assertEquals(1, gauge("herald.task.store.readable"));
    }

    @Test
    void a_store_that_fails_shows_as_unreadable_without_stale_numbers() {
        details.set(new QueueDetails(Map.of("mail", 3L), List.of(), Map.of(), 0, 0, null));
        gauges.refresh();
        details.set(new IllegalStateException("Redis is down"));
        gauges.refresh();
        assertEquals(0, gauge("herald.task.store.readable"));
        assertNull(registry.find("herald.task.queue.length").gauge());
        assertTrue(Double.isNaN(gauge("herald.task.failed.jobs")));
    }

    @Test
    void without_the_tasks_bundle_there_are_no_task_metrics() {
        service.set(null);
        gauges.refresh();
        assertNull(registry.find("herald.task.store.readable").gauge());
        assertNull(registry.find("herald.task.queue.length").gauge());
    }
}
