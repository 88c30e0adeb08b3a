package io.herald.tasks.internal.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.herald.tasks.internal.Harness;
import io.herald.tasks.internal.engine.JobRunner;
import io.herald.tasks.internal.store.ResqueStore;
import io.herald.tasks.internal.wire.JsDate;
import io.herald.tasks.internal.wire.Payloads;

class WorkerRegistrationTest {

    private final Harness harness = new Harness();
    private final ResqueStore store = harness.store();

    @Test
    void a_worker_finding_its_own_name_busy_sends_the_dead_predecessors_job_to_the_failed_queue_first() {
        // a container restarted with the same host name and pid: the previous process died in a job
        String job = Payloads.encodeJob("mail", "default", List.of(Map.of()));
        store.registerWorker("box:1+1", "*", 1);
        store.enqueue("default", job);
        store.popAndStore("default", "box:1+1", "*", JsDate.now());

        Worker worker = new Worker("box:1+1", List.of("*"), store, new JobRunner(harness.processor().queue()), 100,
                () -> { });
        worker.register();

        assertEquals(1, store.failedCount());
        assertEquals("box:1+1", harness.processor().queue().failed(0, 0).get(0).worker());
        assertEquals(List.of("box:1+1:*"), List.copyOf(store.workers()));
        assertTrue(store.pings().containsKey("box:1+1"));
        assertEquals(null, store.workingOn("box:1+1", "*"));
    }

    @Test
    void threads_are_virtual_from_java_21_and_platform_daemons_before() throws Exception {
        Thread[] seen = new Thread[1];
        Thread thread = Threads.start("probe", () -> seen[0] = Thread.currentThread());
        thread.join(10_000);

        assertEquals("probe", seen[0].getName());
        assertEquals(Runtime.version().feature() >= 21, Threads.virtual());
        if (!Threads.virtual()) {
            assertTrue(seen[0].isDaemon());
        }
    }
}
