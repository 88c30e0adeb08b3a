package io.herald.tasks.internal.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.herald.api.task.FailedJob;
import io.herald.api.task.Job;
import io.herald.tasks.internal.Harness;
import io.herald.tasks.internal.TaskProcessor;
import io.herald.tasks.internal.TestTasks;
import io.herald.tasks.internal.engine.HostName;
import io.herald.tasks.internal.engine.ResqueTaskQueue;
import io.herald.tasks.internal.store.ResqueStore;
import io.herald.tasks.internal.wire.JsDate;
import io.herald.tasks.internal.wire.Payloads;
import io.herald.tasks.internal.wire.ResqueSeconds;
import io.herald.testing.Await;

/** The scheduler driven one cycle at a time on the test's thread. */
class SchedulerTest {

    private final Harness harness = new Harness();
    private final ResqueStore store = harness.store();
    private final TaskProcessor processor = harness.processor();
    private final ResqueTaskQueue queue = processor.queue();

    private Scheduler scheduler(String name, long stuckWorkerTimeoutMillis, boolean retryStuckJobs) {
        return scheduler(queue, name, stuckWorkerTimeoutMillis, retryStuckJobs);
    }

    static Scheduler scheduler(ResqueTaskQueue queue, String name, long stuckWorkerTimeoutMillis, boolean retryStuckJobs) {
        return new Scheduler(new Scheduler.Settings(name, 100, 180, stuckWorkerTimeoutMillis, stuckWorkerTimeoutMillis,
                retryStuckJobs), queue);
    }

    @Test
    void the_leader_moves_every_due_delayed_job_to_its_queue_and_leaves_future_ones() {
        processor.registry().addTask(new TestTasks.Recording(), TestTasks.props("mail").build(), TestTasks.nextOrder());
        Instant past = Instant.now().minusSeconds(30);
        queue.enqueueAt(past, "mail", Map.of("n", 1));
        queue.enqueueAt(past, "mail", Map.of("n", 2));
        queue.enqueueAt(past.plusSeconds(10), "mail", Map.of("n", 3), "other", false);
        Instant future = Instant.now().plusSeconds(600);
        queue.enqueueAt(future, "mail", Map.of("n", 4));

        scheduler("a:1", 0, false).cycle();

        assertEquals(List.of(job(1), job(2)), queue.queued("default", 0, -1));
        assertEquals(List.of(new Job("mail", "other", List.of(Map.of("n", 3)))), queue.queued("other", 0, -1));
        assertEquals(List.of(Instant.ofEpochSecond(ResqueSeconds.of(future.toEpochMilli()))), queue.timestamps());
        assertEquals(List.of(), store.delayedAt(ResqueSeconds.of(past.toEpochMilli())));
        assertEquals(List.of(), queue.scheduledAt(null, "mail", Map.of("n", 1)));
    }

    private static Job job(int n) {
        return new Job("mail", "default", List.of(Map.of("n", n)));
    }

    @Test
    void moving_a_delayed_job_runs_its_enqueue_plugins_and_a_declined_job_is_dropped() {
        processor.registry().addTask(new TestTasks.Recording(), TestTasks.props("unique").plugins("QueueLock").build(),
                TestTasks.nextOrder());
        processor.registry().addTask(new TestTasks.Recording(), TestTasks.props("once").plugins("DelayQueueLock").build(),
                TestTasks.nextOrder());
        assertTrue(queue.enqueue("unique", Map.of()));
        queue.enqueueIn(Duration.ofSeconds(-20), "unique", Map.of());
        queue.enqueueIn(Duration.ofSeconds(-20), "once", Map.of());

        scheduler("a:1", 0, false).cycle();

        assertEquals(List.of(new Job("unique", "default", List.of(Map.of())), new Job("once", "default", List.of(Map.of()))),
                queue.queued("default", 0, -1));
        assertEquals(List.of(), queue.timestamps());
    }

    @Test
    void one_of_two_schedulers_on_one_store_leads_and_the_other_takes_over_when_it_stops() {
        Scheduler a = scheduler("hostA:1", 0, false);
        Scheduler b = scheduler("hostB:2", 0, false);

        a.cycle();
        b.cycle();
        a.cycle();

        assertTrue(a.isLeader());
        assertFalse(b.isLeader());
        assertEquals("hostA:1", store.leader());
        a.stop();
        assertNull(store.leader());
        b.cycle();
        assertTrue(b.isLeader());
        assertEquals("hostB:2", store.leader());
    }

    @Test
    void a_leader_lock_left_by_a_dead_process_of_this_host_is_taken_over_at_once() throws Exception {
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        String deadLeader = HostName.get() + ":" + gone.pid();
        assertTrue(store.tryForLeader(deadLeader, 180));
        Scheduler otherHost = scheduler("elsewhere:1", 0, false);
        store.set("resque_scheduler_leader_lock", "elsewhere:7", 180);

        otherHost.cycle();
        assertFalse(otherHost.isLeader(), "a lock held by another host's process is respected");

        store.set("resque_scheduler_leader_lock", deadLeader, 180);
        Scheduler restarted = scheduler(HostName.get() + ":" + HostName.pid(), 0, false);
        restarted.cycle();
        assertTrue(restarted.isLeader());
        assertEquals(HostName.get() + ":" + HostName.pid(), store.leader());
    }

    @Test
    void a_worker_whose_ping_is_too_old_is_removed_and_its_job_goes_to_the_failed_queue() {
        String job = Payloads.encodeJob("mail", "default", List.of(Map.of("n", 1)));
        deadWorker("deadhost:1+1", "default", job, 100, JsDate.now());
        store.registerWorker("livehost:2+1", "*", 1);
        store.ping("livehost:2+1", Payloads.encodePing(ResqueSeconds.of(System.currentTimeMillis()), "livehost:2+1", "*"));

        scheduler("a:1", 10_000, false).cycle();

        assertEquals(List.of("livehost:2+1:*"), List.copyOf(store.workers()));
        assertEquals(List.of("livehost:2+1"), List.copyOf(store.pings().keySet()));
        assertNull(store.workingOn("deadhost:1+1", "default"));
        FailedJob failed = queue.failed(0, -1).get(0);
        assertEquals("deadhost:1+1", failed.worker());
        assertEquals("Worker Timeout (killed manually)", failed.exception());
        assertEquals("Worker Timeout (killed manually)", failed.error());
        assertEquals(List.of("queue#forceCleanWorker", "node-resque"), failed.backtrace().subList(1, 3));
        assertTrue(failed.backtrace().get(0).startsWith("killed by " + HostName.get() + " at "), failed.backtrace().get(0));
        assertEquals(new Job("mail", "default", List.of(Map.of("n", 1))), failed.payload());
        assertEquals(1L, store.stats().get("failed"));
    }

    @Test
    void a_worker_that_never_pings_is_judged_by_how_long_its_job_runs() {
        String job = Payloads.encodeJob("mail", "default", List.of(Map.of()));
        store.registerWorker("rubyhost:7", "default", 1);
        store.enqueue("default", job);
        store.popAndStore("default", "rubyhost:7", "default", JsDate.format(Instant.now().minusSeconds(100)));
        store.registerWorker("rubyhost:8", "default", 1);
        store.enqueue("default", job);
        store.popAndStore("default", "rubyhost:8", "default", JsDate.format(Instant.now().minusSeconds(2)));

        scheduler("a:1", 10_000, false).cycle();

        assertEquals(List.of("rubyhost:8:default"), List.copyOf(store.workers()));
        assertEquals(1, queue.failedCount());
        assertEquals("rubyhost:7", queue.failed(0, 0).get(0).worker());
    }

    @Test
    void a_long_job_of_a_worker_that_never_pings_is_judged_by_silent_worker_timeout_not_stuck_worker_timeout() {
        String job = Payloads.encodeJob("mail", "default", List.of(Map.of()));
        store.registerWorker("rubyhost:7", "default", 1);
        store.enqueue("default", job);
        store.popAndStore("default", "rubyhost:7", "default", JsDate.format(Instant.now().minusSeconds(100)));
        deadWorker("deadhost:1+1", "default", job, 100, JsDate.now());

        new Scheduler(new Scheduler.Settings("a:1", 100, 180, 10_000, 3_600_000, false), queue).cycle();

        assertEquals(List.of("rubyhost:7:default"), List.copyOf(store.workers()), "its job may rightly run 100 s");
        assertEquals(1, queue.failedCount());
        assertEquals("deadhost:1+1", queue.failed(0, 0).get(0).worker(), "a ping 100 s old is a dead worker");
    }

    @Test
    void with_retry_stuck_jobs_the_dead_workers_job_is_enqueued_again() {
        String job = Payloads.encodeJob("mail", "default", List.of(Map.of("n", 1)));
        deadWorker("deadhost:1+1", "default", job, 100, JsDate.now());

        scheduler("a:1", 10_000, true).cycle();

        assertEquals(0, queue.failedCount());
        assertEquals(List.of(job), store.queued("default", 0, -1));
        assertTrue(store.workers().isEmpty());
    }

    @Test
    void a_scheduler_that_is_not_the_leader_neither_moves_jobs_nor_cleans_workers() {
        processor.registry().addTask(new TestTasks.Recording(), TestTasks.props("mail").build(), TestTasks.nextOrder());
        queue.enqueueIn(Duration.ofSeconds(-20), "mail", Map.of());
        deadWorker("deadhost:1+1", "default", Payloads.encodeJob("mail", "default", List.of()), 100, JsDate.now());
        store.set("resque_scheduler_leader_lock", "elsewhere:1", 180);

        scheduler("a:1", 10_000, false).cycle();

        assertEquals(1, queue.timestamps().size());
        assertEquals(1, store.workers().size());
    }

    @Test
    void a_running_scheduler_cycles_on_its_own_thread() {
        TaskProcessor node = new Harness(store, "node:1").processor();
        TestTasks.Recording mail = new TestTasks.Recording();
        node.registry().addTask(mail, TestTasks.props("mail").build(), TestTasks.nextOrder());
        node.start(Harness.settings("scheduler", "true"));
        try {
            node.queue().enqueueIn(Duration.ofSeconds(-5), "mail", Map.of("n", 1));
            Await.until(() -> mail.count() == 1, "delayed job moved and run");
            assertEquals("node:1", store.leader());
        } finally {
            node.stop();
        }
        assertNull(store.leader());
    }

    /** What a worker process killed in the middle of a job leaves: member, working-on record, an old ping. */
    private void deadWorker(String name, String queues, String job, long pingAgeSeconds, String runAt) {
        store.registerWorker(name, queues, 1);
        store.enqueue("default", job);
        store.popAndStore("default", name, queues, runAt);
        store.ping(name, Payloads.encodePing(ResqueSeconds.of(System.currentTimeMillis()) - pingAgeSeconds, name, queues));
    }
}
