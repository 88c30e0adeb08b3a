package io.herald.tasks.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.herald.redis.internal.RedisConnections;
import io.herald.tasks.internal.store.RedisResqueStore;
import io.herald.tasks.internal.wire.Payloads;
import io.herald.testing.Await;
import io.herald.testing.redis.RedisServer;
import io.herald.testing.redis.RespClient;

/**
 * Idle workers hold no thread (they park), and wake when any client enqueues on their queues, without waiting for
 * their poll interval: the pool's queue watcher blocks in Redis ({@code BLMOVE q q RIGHT RIGHT}) while they park.
 */
class WorkerWakeUpTest {

    @Test
    void a_job_another_client_pushes_wakes_a_parked_worker_long_before_its_poll_interval() {
        try (RedisServer server = RedisServer.start();
                RedisConnections.Opened connection = Harness.connect(server, 10_000);
                RespClient redis = server.client()) {
            TaskProcessor node = new Harness(new RedisResqueStore(connection), "wakenode:1").processor();
            TestTasks.Recording hello = new TestTasks.Recording();
            node.registry().addTask(hello, TestTasks.props("hello").build(), TestTasks.nextOrder());
            // polls and pool checks every 10 minutes: only a wake-up can run the jobs within the test's bound
            node.start(Harness.settings("minTaskProcessors", "2", "maxTaskProcessors", "2", "queues", "high,default",
                    "timeout", "600000", "checkTimeout", "600000"));
            try {
                Await.until(() -> node.pool().size() == 2 && workerThreads(node) == 0,
                        "both workers parked, no thread held");
                String job = Payloads.encodeJob("hello", "default", List.of(Map.of("n", 1)));
                // as node-resque's Queue.enqueue writes it: not through this node, so nothing local rings
                redis.call("SADD", "resque:queues", "default");
                redis.call("RPUSH", "resque:queue:default", job);

                Await.until(() -> hello.count() == 1, Duration.ofSeconds(30), "the job ran");
                Await.until(() -> "1".equals(redis.callString("GET", "resque:stat:processed")), "counted");
                assertEquals(0, redis.callLong("LLEN", "resque:queue:default"));
                Await.until(() -> workerThreads(node) == 0, "parked again");

                redis.call("RPUSH", "resque:queue:high", Payloads.encodeJob("hello", "high", List.of(Map.of("n", 2))));
                Await.until(() -> hello.count() == 2, Duration.ofSeconds(30), "a job on the other queue ran");
            } finally {
                node.stop();
            }
            assertEquals(List.of(), redis.callList("SMEMBERS", "resque:workers"));
        }
    }

    @Test
    void an_idle_pool_holds_no_worker_thread_and_a_local_enqueue_resumes_one() {
        Harness harness = new Harness();
        TaskProcessor node = harness.processor();
        TestTasks.Recording hello = new TestTasks.Recording();
        node.registry().addTask(hello, TestTasks.props("hello").build(), TestTasks.nextOrder());
        node.start(Harness.settings("minTaskProcessors", "3", "maxTaskProcessors", "3", "timeout", "600000",
                "checkTimeout", "600000"));
        try {
            Await.until(() -> node.pool().size() == 3 && workerThreads(node) == 0, "three workers, all parked");
            for (int i = 0; i < 5; i++) {
                node.queue().enqueue("hello", Map.of("n", i));
            }
            Await.until(() -> hello.count() == 5, "the jobs ran");
            Await.until(() -> workerThreads(node) == 0, "parked again");
            assertEquals(3, node.pool().size());
        } finally {
            node.stop();
        }
        assertEquals(0, node.queue().workers().size());
    }

    /** Live threads of the node's workers (a thread is named after its worker). */
    private static long workerThreads(TaskProcessor node) {
        List<String> names = node.pool().workerNames().stream().map(name -> "herald-task-worker-" + name).toList();
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> names.contains(t.getName()) && t.isAlive()).count();
    }
}
