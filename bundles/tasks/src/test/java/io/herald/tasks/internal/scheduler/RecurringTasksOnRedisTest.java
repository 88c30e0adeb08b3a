package io.herald.tasks.internal.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.herald.redis.internal.RedisConnections;
import io.herald.tasks.internal.Harness;
import io.herald.tasks.internal.TestTasks;
import io.herald.tasks.internal.engine.JobRunner.Outcome;
import io.herald.tasks.internal.store.RedisResqueStore;
import io.herald.tasks.internal.store.ResqueStore;
import io.herald.tasks.internal.wire.ResqueSeconds;
import io.herald.testing.Await;
import io.herald.testing.redis.RedisServer;

/**
 * Two nodes running one recurring task on a real redis-server, their schedulers and workers driven step by step on the
 * test's threads, so that an interleaving that is rare on real nodes happens every time.
 */
class RecurringTasksOnRedisTest {

    private static final String JOB = "{\"class\":\"tick\",\"queue\":\"default\",\"args\":[{}]}";
    private static final String QUEUE_LOCK = "lock:tick:default:[{}]";
    private static final long FREQUENCY = 60_000;

    /**
     * Node B's scheduler starts while node A runs the task: A's run released the {@code QueueLock} when it began, and
     * nothing is delayed yet, so B's {@code enqueue(tick, {})} passes the locks and writes a second copy, which B's idle
     * worker takes at once. {@code JobLock} declines it (A's run holds the lock until it has scheduled the next run), so
     * the copy leaves the queue without a run. Its {@code QueueLock} must go with it: left behind for its hour, it makes
     * the scheduler drop A's next run when it comes due, and the task stops (TasksIT saw exactly this: one run, then a
     * lock set at B's enqueue and nothing queued or delayed).
     */
    @Test
    void a_copy_that_job_lock_declines_releases_its_queue_lock_and_the_next_run_is_not_dropped() throws Exception {
        try (RedisServer server = RedisServer.start();
                RedisConnections.Opened connection = Harness.connect(server, 10_000)) {
            ResqueStore store = new RedisResqueStore(connection);
            Harness nodeA = new Harness(store, "nodeA:1");
            TestTasks.Blocking tickA = new TestTasks.Blocking();
            nodeA.processor().registry().addTask(tickA, TestTasks.props("tick").frequency(FREQUENCY).build(),
                    TestTasks.nextOrder());
            Harness nodeB = new Harness(store, "nodeB:2");
            TestTasks.Recording tickB = new TestTasks.Recording();
            nodeB.processor().registry().addTask(tickB, TestTasks.props("tick").frequency(FREQUENCY).build(),
                    TestTasks.nextOrder());
            Scheduler leaderA = SchedulerTest.scheduler(nodeA.processor().queue(), "nodeA:1", 0, false);

            leaderA.cycle();
            assertEquals(List.of(JOB), store.queued("default", 0, -1), "node A's scheduler enqueued the task");

            CompletableFuture<Outcome> runA = CompletableFuture.supplyAsync(() -> nodeA.work("default", "nodeA:1+1"));
            try {
                Await.until(() -> tickA.started() == 1, "node A's run started");

                SchedulerTest.scheduler(nodeB.processor().queue(), "nodeB:2", 0, false).cycle();
                assertEquals(List.of(JOB), store.queued("default", 0, -1), "node B's scheduler enqueued a copy");
                assertEquals(Outcome.SKIPPED, nodeB.work("default", "nodeB:2+1"), "JobLock declines the copy");
                assertEquals(0, tickB.count());
                assertNull(store.get(QUEUE_LOCK), "the declined copy left the queue: its QueueLock must go with it");
            } finally {
                tickA.release();
                runA.handle((outcome, error) -> outcome).get(30, TimeUnit.SECONDS);
            }
            assertEquals(Outcome.SUCCEEDED, runA.get(30, TimeUnit.SECONDS));
            assertEquals(1, store.scheduledAt(JOB).size(), "node A's run scheduled the next one");

            // the next run comes due: moved to a past second instead of waiting for the frequency
            store.unschedule(JOB);
            store.schedule(ResqueSeconds.of(System.currentTimeMillis()) - 1, JOB);
            leaderA.cycle();

            assertEquals(List.of(JOB), store.queued("default", 0, -1), "the due run is queued, not dropped");
            assertEquals(Outcome.SUCCEEDED, nodeA.work("default", "nodeA:1+1"));
            assertEquals(2, tickA.finished());
            assertEquals(1, store.scheduledAt(JOB).size(), "and it keeps recurring");
        }
    }
}
