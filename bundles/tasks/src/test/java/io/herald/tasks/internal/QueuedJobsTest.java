package io.herald.tasks.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.herald.redis.internal.RedisConnections;
import io.herald.tasks.internal.store.RedisResqueStore;
import io.herald.tasks.internal.store.ResqueStore;
import io.herald.tasks.internal.wire.Payloads;
import io.herald.testing.redis.RedisServer;

/**
 * The {@code resqueTotalQueueLength} the tasks bundle gives the {@code status} action: the jobs waiting in every queue
 * (Actionhero sums {@code task.details().queues[q].length}), on the store the processor uses now.
 */
class QueuedJobsTest {

    private static String job(String queue, int n) {
        return Payloads.encodeJob("sayHello", queue, List.of(Map.of("n", n)));
    }

    /** Two queues with jobs, an empty one, and jobs that are not waiting: one delayed. */
    private static void fill(ResqueStore store) {
        store.enqueue("mail", job("mail", 1));
        store.enqueue("mail", job("mail", 2));
        store.enqueue("reports", job("reports", 3));
        store.enqueue("reports", job("reports", 4));
        store.enqueue("reports", job("reports", 5));
        store.enqueue("empty", job("empty", 6));
        store.removeQueued("empty", job("empty", 6), 1);
        store.schedule(4_000_000_000L, job("mail", 7));
    }

    @Test
    void the_in_process_store_counts_every_waiting_job_of_every_queue() {
        Harness harness = new Harness();
        fill(harness.store());
        assertEquals(5L, new QueuedJobs(harness.processor()).totalQueueLength(), "delayed jobs do not wait in a queue");
    }

    @Test
    void on_redis_it_counts_the_shared_queues_and_a_redis_that_is_down_is_an_exception_with_a_reason() {
        RedisServer server = RedisServer.start();
        try (RedisConnections.Opened connection = Harness.connect(server, 200)) {
            RedisResqueStore store = new RedisResqueStore(connection);
            TaskProcessor node = new Harness(store, "redisnode:1").processor();
            QueuedJobs queued = new QueuedJobs(node);
            assertEquals(0L, queued.totalQueueLength(), "a new Redis has no queue");
            fill(store);
            assertEquals(5L, queued.totalQueueLength());

            server.close();
            RuntimeException down = assertThrows(RuntimeException.class, queued::totalQueueLength);
            assertTrue(down.getMessage().startsWith("tasks store queues failed: "), down.getMessage());
            assertFalse(down.getMessage().contains("Exception"), "words for an operator: " + down.getMessage());
        } finally {
            server.close();
        }
    }
}
