package io.herald.tasks.internal.plugins;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

import io.herald.api.task.FailedJob;
import io.herald.api.task.Task;
import io.herald.api.task.TaskContext;
import io.herald.tasks.internal.Harness;
import io.herald.tasks.internal.TestTasks;
import io.herald.tasks.internal.engine.JobRunner;
import io.herald.tasks.internal.engine.ResqueTaskQueue;
import io.herald.tasks.internal.store.ResqueStore;
import io.herald.tasks.internal.wire.JsJson;
import io.herald.tasks.internal.wire.ResqueSeconds;

/** The built-in plugins, worked one job at a time on the in-process store. */
class PluginsTest {

    private final Harness harness = new Harness();
    private final ResqueStore store = harness.store();
    private final ResqueTaskQueue queue = harness.processor().queue();

    private void task(String name, Task task, String... plugins) {
        harness.processor().registry().addTask(task, TestTasks.props(name).plugins(plugins).build(), TestTasks.nextOrder());
    }

    private static long nowSeconds() {
        return ResqueSeconds.of(System.currentTimeMillis());
    }

    // ------------------------------------------------------------------------------------------------ QueueLock

    @Test
    void queue_lock_keeps_a_second_copy_out_until_the_first_runs() {
        task("unique", new TestTasks.Recording(), "QueueLock");

        assertTrue(queue.enqueue("unique", Map.of("n", 1)));
        assertFalse(queue.enqueue("unique", Map.of("n", 1)));
        assertTrue(queue.enqueue("unique", Map.of("n", 2)), "other args, other lock");

        String lock = "lock:unique:default:[{\"n\":1}]";
        long expiry = Long.parseLong(store.get(lock));
        assertTrue(expiry >= nowSeconds() + 3600 && expiry <= nowSeconds() + 3602, "expiry " + expiry);
        assertEquals(JobRunner.Outcome.SUCCEEDED, harness.work("default"));
        assertNull(store.get(lock));
        assertTrue(queue.enqueue("unique", Map.of("n", 1)));
    }

    @Test
    void queue_lock_takes_over_a_lock_whose_stored_expiry_has_passed() {
        task("unique", new TestTasks.Recording(), "QueueLock");
        String lock = "lock:unique:default:[{}]";
        store.set(lock, Long.toString(nowSeconds() - 10), 3600);

        assertTrue(queue.enqueue("unique", Map.of()));

        assertTrue(Long.parseLong(store.get(lock)) > nowSeconds());
    }

    // ------------------------------------------------------------------------------------------------ JobLock

    @Test
    void job_lock_holds_the_lock_while_the_job_runs_and_releases_it_after() {
        AtomicReference<String> seen = new AtomicReference<>();
        task("exclusive", context -> {
            seen.set(store.get("workerslock:exclusive:default:[{}]"));
            return null;
        }, "JobLock");
        queue.enqueue("exclusive", Map.of());

        assertEquals(JobRunner.Outcome.SUCCEEDED, harness.work("default"));

        assertNotNull(seen.get());
        assertNull(store.get("workerslock:exclusive:default:[{}]"));
    }

    @Test
    void job_lock_held_elsewhere_skips_the_job_and_schedules_it_a_second_later() {
        TestTasks.Recording exclusive = new TestTasks.Recording();
        task("exclusive", exclusive, "JobLock");
        store.set("workerslock:exclusive:default:[{}]", "1", 3600);
        queue.enqueue("exclusive", Map.of());
        long before = ResqueSeconds.of(System.currentTimeMillis() + 1001);

        assertEquals(JobRunner.Outcome.SKIPPED, harness.work("default"));

        long after = ResqueSeconds.of(System.currentTimeMillis() + 1001);
        assertEquals(0, exclusive.count());
        List<Long> at = store.scheduledAt("{\"class\":\"exclusive\",\"queue\":\"default\",\"args\":[{}]}");
        assertEquals(1, at.size());
        assertTrue(at.get(0) >= before && at.get(0) <= after, at + " in [" + before + "," + after + "]");
        assertNull(store.stats().get("processed"));
        assertNull(store.stats().get("failed"));
        assertEquals("1", store.get("workerslock:exclusive:default:[{}]"), "the holder's lock is untouched");
    }

    @Test
    void job_lock_with_re_enqueue_off_drops_the_copy() {
        harness.processor().registry().addTask(new Options(Map.of("JobLock", Map.of("reEnqueue", false))),
                TestTasks.props("exclusive").plugins("JobLock").build(), TestTasks.nextOrder());
        store.set("workerslock:exclusive:default:[{}]", "1", 3600);
        queue.enqueue("exclusive", Map.of());

        assertEquals(JobRunner.Outcome.SKIPPED, harness.work("default"));

        assertEquals(List.of(), queue.timestamps());
    }

    // ------------------------------------------------------------------------------------------------ DelayQueueLock

    @Test
    void delay_queue_lock_keeps_a_copy_out_while_the_same_job_is_delayed() {
        task("later", new TestTasks.Recording(), "DelayQueueLock");
        queue.enqueueIn(Duration.ofMinutes(5), "later", Map.of("n", 1));

        assertFalse(queue.enqueue("later", Map.of("n", 1)));
        assertTrue(queue.enqueue("later", Map.of("n", 2)));
        queue.delDelayed(null, "later", Map.of("n", 1));
        assertTrue(queue.enqueue("later", Map.of("n", 1)));
    }

    // ------------------------------------------------------------------------------------------------ Retry

    @Test
    void retry_schedules_the_job_again_counts_the_attempt_as_failed_and_gives_up_after_the_limit() {
        TestTasks.Failing failing = new TestTasks.Failing(Map.of("Retry", Map.of("retryLimit", 3, "retryDelay", 60_000)));
        task("flaky", failing, "Retry");
        String job = "{\"class\":\"flaky\",\"queue\":\"default\",\"args\":[{}]}";
        queue.enqueue("flaky", Map.of());

        // attempt 1: retried in 60 s
        long before = ResqueSeconds.of(System.currentTimeMillis() + 60_000);
        assertEquals(JobRunner.Outcome.SUCCEEDED, harness.work("default"));
        long after = ResqueSeconds.of(System.currentTimeMillis() + 60_000);
        assertEquals(0, queue.failedCount());
        long due = store.scheduledAt(job).get(0);
        assertTrue(due >= before && due <= after, due + " in [" + before + "," + after + "]");
        assertEquals("0", store.get("resque-retry:flaky:{}"));
        Map<String, Object> lastError = JsJson.parseObject(store.get("failure-resque-retry:flaky:{}"));
        assertEquals(List.of("failed_at", "payload", "exception", "error", "backtrace", "worker", "queue"),
                List.copyOf(lastError.keySet()));
        assertEquals("java.lang.IllegalStateException: boom {}", lastError.get("error"));
        assertEquals("flaky", lastError.get("worker"));
        assertEquals(List.of(Map.of()), lastError.get("payload"));
        assertEquals(Map.of("processed", 0L, "failed", 1L, "processed:" + Harness.WORKER, 0L,
                "failed:" + Harness.WORKER, 1L), store.stats());

        // attempt 2: retried again
        assertTrue(store.transferDelayed(due, job, "default"));
        assertEquals(JobRunner.Outcome.SUCCEEDED, harness.work("default"));
        assertEquals("1", store.get("resque-retry:flaky:{}"));
        assertEquals(1, store.scheduledAt(job).size());

        // attempt 3: the last one, the job goes to the failed queue and the keys go
        assertTrue(store.transferDelayed(store.scheduledAt(job).get(0), job, "default"));
        assertEquals(JobRunner.Outcome.FAILED, harness.work("default"));
        assertEquals(3, failing.count());
        assertEquals(1, queue.failedCount());
        FailedJob failed = queue.failed(0, 0).get(0);
        assertEquals("boom {}", failed.error());
        assertEquals(List.of(), queue.timestamps());
        assertNull(store.get("resque-retry:flaky:{}"));
        assertNull(store.get("failure-resque-retry:flaky:{}"));
        assertEquals(3L, store.stats().get("failed"));
        assertEquals(0L, store.stats().get("processed"));
    }

    @Test
    void retry_follows_the_backoff_strategy() {
        task("flaky", new TestTasks.Failing(Map.of("Retry", Map.of("retryLimit", 4, "backoffStrategy",
                List.of(1000, 120_000)))), "Retry");
        String job = "{\"class\":\"flaky\",\"queue\":\"default\",\"args\":[{}]}";
        queue.enqueue("flaky", Map.of());

        long first = ResqueSeconds.of(System.currentTimeMillis() + 1000);
        harness.work("default");
        long firstDue = store.scheduledAt(job).get(0);
        assertTrue(firstDue >= first && firstDue <= first + 1, firstDue + " vs " + first);

        store.transferDelayed(firstDue, job, "default");
        long second = ResqueSeconds.of(System.currentTimeMillis() + 120_000);
        harness.work("default");
        long secondDue = store.scheduledAt(job).get(0);
        assertTrue(secondDue >= second && secondDue <= second + 1, secondDue + " vs " + second);
    }

    @Test
    void a_success_after_a_retry_clears_the_retry_keys() {
        AtomicInteger runs = new AtomicInteger();
        task("eventually", new Options(Map.of("Retry", Map.of("retryLimit", 5))) {
            @Override
            public Object run(TaskContext context) {
                if (runs.incrementAndGet() == 1) {
                    throw new IllegalStateException("first time");
                }
                return null;
            }
        }, "Retry");
        String job = "{\"class\":\"eventually\",\"queue\":\"default\",\"args\":[{}]}";
        queue.enqueue("eventually", Map.of());
        harness.work("default");
        assertNotNull(store.get("resque-retry:eventually:{}"));

        store.transferDelayed(store.scheduledAt(job).get(0), job, "default");
        assertEquals(JobRunner.Outcome.SUCCEEDED, harness.work("default"));

        assertNull(store.get("resque-retry:eventually:{}"));
        assertNull(store.get("failure-resque-retry:eventually:{}"));
        assertEquals(List.of(), queue.timestamps());
        assertEquals(0, queue.failedCount());
    }

    @Test
    void a_plugin_service_replaces_the_built_in_of_the_same_name() {
        AtomicInteger calls = new AtomicInteger();
        harness.processor().registry().addPlugin(new io.herald.api.task.TaskPlugin() {
            @Override
            public boolean beforeEnqueue(io.herald.api.task.TaskEvent event) {
                calls.incrementAndGet();
                return true;
            }
        }, Map.of("herald.taskPlugin.name", "QueueLock"), TestTasks.nextOrder());
        task("unique", new TestTasks.Recording(), "QueueLock");

        assertTrue(queue.enqueue("unique", Map.of()));
        assertTrue(queue.enqueue("unique", Map.of()));

        assertEquals(2, calls.get());
        assertEquals(Map.of(), queue.locks());
    }

    /** A task that succeeds and gives plugin options. */
    private static class Options implements Task {
        private final Map<String, Map<String, Object>> options;

        Options(Map<String, Map<String, Object>> options) {
            this.options = options;
        }

        @Override
        public Object run(TaskContext context) {
            return null;
        }

        @Override
        public Map<String, Map<String, Object>> pluginOptions() {
            return options;
        }
    }
}
