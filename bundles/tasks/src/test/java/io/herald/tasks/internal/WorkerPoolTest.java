package io.herald.tasks.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.herald.api.task.FailedJob;
import io.herald.api.task.TaskQueue;
import io.herald.core.ParamChecks;
import io.herald.tasks.internal.store.ResqueStore;
import io.herald.tasks.internal.worker.WorkerPool;
import io.herald.testing.Await;

class WorkerPoolTest {

    private final Harness harness = new Harness();
    private final ResqueStore store = harness.store();
    private final TaskProcessor processor = harness.processor();
    private final TaskQueue queue = processor.queue();
    private final TestTasks.Blocking blocking = new TestTasks.Blocking();

    @AfterEach
    void stop() {
        blocking.release();
        processor.stop();
    }

    @Test
    void the_pool_grows_while_jobs_wait_and_shrinks_back_when_idle() {
        processor.registry().addTask(blocking, TestTasks.props("slow").build(), TestTasks.nextOrder());
        processor.start(Harness.settings("minTaskProcessors", "1", "maxTaskProcessors", "3"));
        WorkerPool pool = processor.pool();
        Await.until(() -> pool.size() == 1, "one worker at the minimum");

        for (int i = 0; i < 5; i++) {
            queue.enqueue("slow", Map.of("n", i));
        }

        // a worker counts as busy just before its job starts: wait for the jobs too
        Await.until(() -> pool.size() == 3 && pool.busy() == 3 && blocking.started() == 3,
                "three busy workers, the maximum");
        assertEquals(3, store.workers().size());
        blocking.release();
        Await.until(() -> blocking.finished() == 5, "every job finished");
        Await.until(() -> pool.size() == 1 && store.workers().size() == 1, "back to the minimum when idle");
        Await.until(() -> Long.valueOf(5).equals(queue.stats().get("processed")), "five processed");
    }

    @Test
    void a_graceful_stop_lets_the_job_in_flight_finish_then_unregisters() throws Exception {
        processor.registry().addTask(blocking, TestTasks.props("slow").build(), TestTasks.nextOrder());
        processor.start(Harness.settings());
        queue.enqueue("slow", Map.of());
        Await.until(() -> blocking.started() == 1, "job started");

        WorkerPool pool = processor.pool();
        Thread stopper = new Thread(processor::stop);
        stopper.start();
        Await.until(() -> !pool.isRunning(), "stop under way");
        assertTrue(stopper.isAlive(), "stop waits for the job in flight");
        blocking.release();
        stopper.join(30_000);

        assertEquals(1, blocking.finished());
        assertEquals(1L, queue.stats().get("processed"));
        assertEquals(0, queue.failedCount());
        assertTrue(store.workers().isEmpty(), store.workers().toString());
        assertTrue(store.pings().isEmpty(), store.pings().toString());
    }

    @Test
    void a_job_still_running_at_the_shutdown_bound_goes_to_the_failed_queue_and_is_not_left_claimed() {
        processor.registry().addTask(blocking, TestTasks.props("stuck").build(), TestTasks.nextOrder());
        processor.start(Harness.settings("shutdownTimeout", "100"));
        queue.enqueue("stuck", Map.of("n", 1));
        Await.until(() -> blocking.started() == 1, "job started");

        processor.stop();

        assertEquals(1, queue.failedCount());
        FailedJob failed = queue.failed(0, 0).get(0);
        assertEquals("Worker Timeout (killed manually)", failed.error());
        assertEquals("queue#forceCleanWorker", failed.backtrace().get(1));
        assertEquals("stuck", failed.payload().taskName());
        assertTrue(store.workers().isEmpty(), store.workers().toString());
        Await.until(() -> blocking.interrupted() == 1, "the task was interrupted");
        assertNull(queue.stats().get("processed"));
    }

    /**
     * Jobs that compute without ever blocking, one per processor: on Java 21 and later they hold every carrier of the
     * virtual threads (which are not time-sliced), and pings from a virtual thread would stop until they end, so a
     * scheduler elsewhere would remove the live workers as dead. Run on JDK 21+ to see it matter.
     */
    @Test
    void workers_keep_pinging_while_their_jobs_hold_every_processor() {
        int processors = Runtime.getRuntime().availableProcessors();
        AtomicInteger pings = new AtomicInteger();
        ResqueStore counting = (ResqueStore) Proxy.newProxyInstance(ResqueStore.class.getClassLoader(),
                new Class<?>[] {ResqueStore.class}, (proxy, method, args) -> {
                    if (method.getName().equals("ping")) {
                        pings.incrementAndGet();
                    }
                    try {
                        return method.invoke(store, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        TaskProcessor node = new TaskProcessor(ParamChecks.standard(), counting, "testhost:2");
        AtomicInteger spinning = new AtomicInteger();
        AtomicBoolean done = new AtomicBoolean();
        node.registry().addTask(context -> {
            spinning.incrementAndGet();
            while (!done.get()) {
                Thread.onSpinWait();
            }
            return null;
        }, TestTasks.props("spin").build(), TestTasks.nextOrder());
        try {
            node.start(Harness.settings("minTaskProcessors", String.valueOf(processors), "maxTaskProcessors",
                    String.valueOf(processors)));
            for (int i = 0; i < processors; i++) {
                node.queue().enqueue("spin", Map.of("n", i));
            }
            Await.until(() -> spinning.get() == processors, "every processor runs a job that never blocks");

            int before = pings.get();
            Await.until(() -> pings.get() >= before + 3 * processors, "three more pings of every worker");
        } finally {
            done.set(true);
            node.stop();
        }
        assertEquals(Long.valueOf(processors), queue.stats().get("processed"));
    }

    @Test
    void the_web_role_runs_no_processor_by_default() {
        processor.start(TasksSettings.from(Map.of(), "web"));

        assertNull(processor.pool());
        assertNull(processor.scheduler());
        assertTrue(store.workers().isEmpty());
    }
}
