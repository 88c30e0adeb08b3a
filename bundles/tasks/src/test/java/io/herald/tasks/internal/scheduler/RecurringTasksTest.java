package io.herald.tasks.internal.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.herald.tasks.internal.Harness;
import io.herald.tasks.internal.TaskProcessor;
import io.herald.tasks.internal.TestTasks;
import io.herald.tasks.internal.engine.JobRunner;
import io.herald.tasks.internal.engine.ResqueTaskQueue;
import io.herald.tasks.internal.store.MemoryResqueStore;
import io.herald.tasks.internal.store.ResqueStore;
import io.herald.tasks.internal.wire.JsDate;
import io.herald.tasks.internal.wire.Payloads;
import io.herald.tasks.internal.wire.ResqueSeconds;

/**
 * Recurring tasks: enqueued once across schedulers, rescheduled after each run, and brought back after every node was
 * killed, whatever state the kill left in Redis (stale locks, a dead worker holding the run).
 */
class RecurringTasksTest {

    private static final String JOB = "{\"class\":\"tick\",\"queue\":\"default\",\"args\":[{}]}";
    private static final String QUEUE_LOCK = "lock:tick:default:[{}]";
    private static final String JOB_LOCK = "workerslock:tick:default:[{}]";
    private static final long FREQUENCY = 60_000;

    private final ResqueStore store = new MemoryResqueStore();
    private final Harness harness = new Harness(store);
    private final TaskProcessor processor = harness.processor();
    private final ResqueTaskQueue queue = processor.queue();
    private final TestTasks.Recording tick = new TestTasks.Recording();

    @BeforeEach
    void register() {
        processor.registry().addTask(tick, TestTasks.props("tick").frequency(FREQUENCY).build(), TestTasks.nextOrder());
    }

    /** Another node on the same store, with the same task registered. */
    private ResqueTaskQueue otherNode() {
        TaskProcessor other = new Harness(store, "other:2").processor();
        other.registry().addTask(new TestTasks.Recording(), TestTasks.props("tick").frequency(FREQUENCY).build(),
                TestTasks.nextOrder());
        return other.queue();
    }

    @Test
    void every_scheduler_enqueues_recurring_tasks_at_start_and_the_locks_keep_one_copy() {
        SchedulerTest.scheduler(queue, "hostA:1", 0, false).cycle();
        SchedulerTest.scheduler(otherNode(), "hostB:2", 0, false).cycle();

        assertEquals(List.of(JOB), store.queued("default", 0, -1));
        assertTrue(store.get(QUEUE_LOCK) != null);
    }

    @Test
    void after_each_run_the_next_one_is_delayed_by_the_frequency_and_the_locks_are_released() {
        SchedulerTest.scheduler(queue, "hostA:1", 0, false).cycle();
        long before = ResqueSeconds.of(System.currentTimeMillis() + FREQUENCY);

        assertEquals(JobRunner.Outcome.SUCCEEDED, harness.work("default"));

        long after = ResqueSeconds.of(System.currentTimeMillis() + FREQUENCY);
        assertEquals(1, tick.count());
        assertEquals(0, store.length("default"));
        List<Long> scheduled = store.scheduledAt(JOB);
        assertEquals(1, scheduled.size());
        assertTrue(scheduled.get(0) >= before && scheduled.get(0) <= after, scheduled + " in [" + before + "," + after + "]");
        assertNull(store.get(QUEUE_LOCK));
        assertNull(store.get(JOB_LOCK));
    }

    @Test
    void a_run_that_throws_schedules_the_next_one_unless_the_task_says_otherwise() {
        processor.registry().addTask(new TestTasks.Failing(), TestTasks.props("flaky").frequency(FREQUENCY).build(),
                TestTasks.nextOrder());
        processor.registry().addTask(new TestTasks.Failing(), TestTasks.props("fragile").frequency(FREQUENCY)
                .reEnqueuePeriodicTaskIfException(false).build(), TestTasks.nextOrder());
        queue.enqueue("flaky", Map.of());
        queue.enqueue("fragile", Map.of());

        assertEquals(JobRunner.Outcome.FAILED, harness.work("default"));
        assertEquals(JobRunner.Outcome.FAILED, harness.work("default"));

        assertEquals(1, store.scheduledAt("{\"class\":\"flaky\",\"queue\":\"default\",\"args\":[{}]}").size());
        assertEquals(List.of(), store.scheduledAt("{\"class\":\"fragile\",\"queue\":\"default\",\"args\":[{}]}"));
        assertEquals(2, queue.failedCount());
    }

    @Test
    void a_second_queued_copy_is_collapsed_by_the_next_run() {
        store.enqueue("default", JOB);
        store.enqueue("default", JOB);

        assertEquals(JobRunner.Outcome.SUCCEEDED, harness.work("default"));

        assertEquals(0, store.length("default"));
        assertEquals(1, store.scheduledAt(JOB).size());
        assertNull(store.get(QUEUE_LOCK));
    }

    // ------------------------------------------------------------------------------------------------ every node killed

    @Test
    void killed_between_taking_the_queue_lock_and_writing_the_job_the_stale_lock_is_cleared_and_the_task_enqueued() {
        store.set(QUEUE_LOCK, Long.toString(ResqueSeconds.of(System.currentTimeMillis()) + 3000), 3600);

        SchedulerTest.scheduler(queue, "restarted:1", 0, false).cycle();

        assertEquals(List.of(JOB), store.queued("default", 0, -1));
        assertEquals(JobRunner.Outcome.SUCCEEDED, harness.work("default"));
        assertEquals(1, tick.count());
    }

    @Test
    void killed_in_the_middle_of_a_run_the_dead_workers_lock_is_dropped_and_the_task_resumes() {
        // what a SIGKILL mid-run leaves: the worker's member and working-on record, its old ping, the JobLock
        store.registerWorker("deadhost:1+1", "*", 1);
        store.enqueue("default", JOB);
        store.popAndStore("default", "deadhost:1+1", "*", JsDate.format(Instant.now().minusSeconds(100)));
        store.ping("deadhost:1+1", Payloads.encodePing(ResqueSeconds.of(System.currentTimeMillis()) - 100,
                "deadhost:1+1", "*"));
        store.set(JOB_LOCK, Long.toString(ResqueSeconds.of(System.currentTimeMillis()) + 3000), 3600);

        SchedulerTest.scheduler(queue, "restarted:1", 10_000, false).cycle();

        assertTrue(store.workers().isEmpty());
        assertEquals(1, queue.failedCount(), "the interrupted run is in the failed queue");
        assertNull(store.get(JOB_LOCK));
        assertEquals(List.of(JOB), store.queued("default", 0, -1));
        assertEquals(JobRunner.Outcome.SUCCEEDED, harness.work("default"));
        assertEquals(1, tick.count());
        assertEquals(1, store.scheduledAt(JOB).size());
    }

    @Test
    void a_run_held_by_a_worker_that_still_pings_is_left_alone() {
        store.registerWorker("livehost:1+1", "*", 1);
        store.enqueue("default", JOB);
        store.popAndStore("default", "livehost:1+1", "*", JsDate.now());
        store.ping("livehost:1+1", Payloads.encodePing(ResqueSeconds.of(System.currentTimeMillis()), "livehost:1+1", "*"));
        store.set(JOB_LOCK, "1", 3600);

        SchedulerTest.scheduler(queue, "restarted:1", 10_000, false).cycle();

        assertEquals(0, store.length("default"));
        assertEquals("1", store.get(JOB_LOCK));
        assertEquals(List.of("livehost:1+1:*"), List.copyOf(store.workers()));
    }

    @Test
    void killed_while_the_task_was_delayed_nothing_is_added_whatever_locks_remain() {
        long due = ResqueSeconds.of(System.currentTimeMillis()) + 60;
        store.schedule(due, JOB);
        store.set(QUEUE_LOCK, "1", 3600);
        store.set(JOB_LOCK, "1", 3600);

        SchedulerTest.scheduler(queue, "restarted:1", 10_000, false).cycle();

        assertEquals(0, store.length("default"));
        assertEquals(List.of(due), store.scheduledAt(JOB));
    }

    @Test
    void killed_while_the_task_was_queued_it_stays_queued_once() {
        assertTrue(queue.enqueue("tick", Map.of()));

        SchedulerTest.scheduler(queue, "restarted:1", 10_000, false).cycle();
        SchedulerTest.scheduler(otherNode(), "restarted:2", 10_000, false).cycle();

        assertEquals(List.of(JOB), store.queued("default", 0, -1));
    }

    @Test
    void a_scheduler_that_is_not_the_leader_only_enqueues_through_the_locks() {
        store.set("resque_scheduler_leader_lock", "elsewhere:1", 180);
        store.set(QUEUE_LOCK, Long.toString(ResqueSeconds.of(System.currentTimeMillis()) + 3000), 3600);

        Scheduler follower = SchedulerTest.scheduler(queue, "follower:1", 10_000, false);
        follower.cycle();

        assertFalse(follower.isLeader());
        assertEquals(0, store.length("default"), "a follower trusts the lock; the leader checks it");
        store.delete("resque_scheduler_leader_lock");
        follower.cycle();
        assertTrue(follower.isLeader());
        assertEquals(List.of(JOB), store.queued("default", 0, -1), "checked when it became the leader");
    }
}
