package io.herald.tasks.internal.failover;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.herald.core.ParamChecks;
import io.herald.redis.internal.RedisConnections;
import io.herald.tasks.internal.TaskProcessor;
import io.herald.tasks.internal.TasksSettings;
import io.herald.tasks.internal.TestTasks;
import io.herald.tasks.internal.engine.HostName;
import io.herald.tasks.internal.store.RedisResqueStore;
import io.herald.tasks.internal.wire.JsDate;
import io.herald.testing.Await;
import io.herald.testing.redis.RedisServer;
import io.herald.testing.redis.RespClient;

/**
 * Issue 9: a node killed mid-job and started again on the same host releases the job its dead worker claimed as soon
 * as its task processors start, as Ruby Resque's {@code prune_dead_workers} does for its own host, instead of leaving
 * it claimed for {@code stuckWorkerTimeout}. No scheduler runs in these tests, so nothing else could release it. Live
 * workers are never touched: another JVM's on this host, this JVM's own, another host's.
 */
class DeadLocalWorkerTest {

    private static final String QUEUE = "slow";
    private static final String HANG_JOB = "{\"class\":\"hang\",\"queue\":\"slow\",\"args\":[{\"id\":7}]}";
    private static final Duration BOUND = Duration.ofSeconds(60);

    private RedisServer server;
    private RespClient redis;
    private RedisConnections.Opened connection;
    private final List<AutoCloseable> closing = new ArrayList<>();
    private final TestTasks.Recording hangHere = new TestTasks.Recording();

    @BeforeEach
    void startRedis() {
        server = RedisServer.start();
        redis = server.client();
        connection = Failures.standalone(server.host(), server.port(), 5000);
    }

    @AfterEach
    void stopAll() throws Exception {
        for (int i = closing.size() - 1; i >= 0; i--) {
            closing.get(i).close();
        }
        connection.close();
        redis.close();
        server.close();
    }

    @Test
    void the_job_of_a_worker_jvm_killed_mid_job_is_failed_when_a_processor_of_this_host_starts() {
        TaskProcessor restarted = processor("restarted");
        String dead = killWorkerJvmMidJob(restarted);
        long killedAt = System.nanoTime();

        restarted.start(settings(false));

        System.out.printf("[no retry] the dead worker's job was released %d ms after the SIGKILL%n",
                Duration.ofNanos(System.nanoTime() - killedAt).toMillis());
        List<String> failed = Failures.lrange(redis, "resque:failed");
        assertEquals(1, failed.size(), failed.toString());
        assertTrue(failed.get(0).startsWith("{\"worker\":\"" + dead + "\",\"queue\":\"slow\",\"payload\":" + HANG_JOB
                + ",\"exception\":\"Worker Timeout (killed manually)\",\"error\":\"Worker Timeout (killed manually)\","
                + "\"backtrace\":[\"killed by "), "node-resque's forceCleanWorker payload: " + failed.get(0));
        JsonNode failure = Failures.json(failed.get(0));
        assertEquals("queue#forceCleanWorker", failure.get("backtrace").get(1).asText());
        assertEquals(List.of(), Failures.keys(redis, "resque:*" + dead + "*"), "the dead worker's keys are gone");
        assertEquals(List.of(restarted.pool().workerNames().get(0) + ":" + QUEUE),
                Failures.strings(redis.callList("SMEMBERS", "resque:workers")));
        assertEquals(1, Failures.counter(redis, "resque:stat:failed"));
        assertEquals(0, hangHere.count(), "not run again without retryStuckJobs");
    }

    @Test
    void with_retry_stuck_jobs_the_job_of_a_killed_worker_jvm_runs_again_on_the_restarted_processor() {
        TaskProcessor restarted = processor("restarted");
        String dead = killWorkerJvmMidJob(restarted);

        restarted.start(settings(true));

        Await.until(() -> hangHere.count() == 1, BOUND, "the released job ran on the restarted processor");
        assertEquals(List.of(Map.of("id", 7)), hangHere.runs());
        assertEquals(List.of(restarted.pool().workerNames().get(0)), hangHere.workers());
        assertEquals(0, redis.callLong("LLEN", "resque:failed"), "the force-clean entry was retried away");
        assertEquals(List.of(), Failures.keys(redis, "resque:*" + dead + "*"));
    }

    @Test
    void live_workers_are_not_touched_only_a_previous_incarnation_with_this_pid_is_released() {
        // another JVM of this host, alive in a job
        WorkerJvm child = worker();
        String otherJvm = child.awaitStarted(BOUND);
        TaskProcessor starting = processor("starting");
        assertTrue(starting.queue().enqueue(WorkerJvm.HANG, Map.of("id", 7), QUEUE));
        child.awaitHanging(BOUND);
        // a pool of this JVM, alive in a job
        TestTasks.Blocking blocking = new TestTasks.Blocking();
        TaskProcessor sibling = processor("sibling");
        closing.add(blocking::release); // before the sibling stops (closed in reverse), so its stop does not wait
        sibling.registry().addTask(blocking, TestTasks.props("block").queue("other").build(), TestTasks.nextOrder());
        sibling.start(TasksSettings.from(Map.of("queues", "other", "minTaskProcessors", 1, "maxTaskProcessors", 1,
                "timeout", 500, "checkTimeout", 100, "scheduler", false), "worker"));
        String siblingWorker = sibling.pool().workerNames().get(0);
        assertTrue(sibling.queue().enqueue("block", Map.of(), "other"));
        Await.until(() -> blocking.started() == 1, BOUND, "this JVM's other pool works a job");
        // what a previous process with this very pid left (a container restarted), and another host's dead-looking one
        String previous = HostName.get() + ":" + HostName.pid() + "+999999";
        String elsewhere = "elsewhere:" + Integer.MAX_VALUE + "+1";
        RedisResqueStore store = new RedisResqueStore(connection);
        for (String worker : List.of(previous, elsewhere)) {
            store.registerWorker(worker, QUEUE, 1);
            store.enqueue(QUEUE, "{\"class\":\"hang\",\"queue\":\"slow\",\"args\":[{\"by\":\"" + worker + "\"}]}");
            store.popAndStore(QUEUE, worker, QUEUE, JsDate.now());
        }

        starting.start(settings(false));

        List<String> failed = Failures.lrange(redis, "resque:failed");
        assertEquals(1, failed.size(), failed.toString());
        assertEquals(previous, Failures.json(failed.get(0)).get("worker").asText());
        List<String> members = Failures.strings(redis.callList("SMEMBERS", "resque:workers"));
        for (String live : List.of(otherJvm + ":" + QUEUE, siblingWorker + ":other", elsewhere + ":" + QUEUE)) {
            assertTrue(members.contains(live), live + " untouched: " + members);
        }
        assertEquals(Failures.json(HANG_JOB),
                Failures.json(redis.callString("GET", "resque:worker:" + otherJvm + ":" + QUEUE)).get("payload"),
                "the other JVM keeps its job");
        assertEquals(1, redis.callLong("EXISTS", "resque:worker:" + siblingWorker + ":other"), "this JVM's keeps its");
        assertEquals(1, redis.callLong("EXISTS", "resque:worker:" + elsewhere + ":" + QUEUE), "another host's keeps its");
        assertTrue(child.isAlive());
    }

    private WorkerJvm worker() {
        WorkerJvm child = WorkerJvm.start(server.host(), server.port(), QUEUE);
        closing.add(child);
        return child;
    }

    private TaskProcessor processor(String name) {
        TaskProcessor node = new TaskProcessor(ParamChecks.standard(), new RedisResqueStore(connection), name);
        node.registry().addTask(context -> "done", TestTasks.props(WorkerJvm.QUICK).build(), TestTasks.nextOrder());
        node.registry().addTask(hangHere, TestTasks.props(WorkerJvm.HANG).build(), TestTasks.nextOrder());
        closing.add(node::stop);
        return node;
    }

    /**
     * A worker JVM takes the hang job and is killed in it: its worker stays registered, the job claimed.
     *
     * @return the dead worker's name
     */
    private String killWorkerJvmMidJob(TaskProcessor enqueuer) {
        WorkerJvm child = worker();
        String dead = child.awaitStarted(BOUND);
        assertTrue(enqueuer.queue().enqueue(WorkerJvm.HANG, Map.of("id", 7), QUEUE));
        child.awaitHanging(BOUND);
        child.kill();
        assertEquals(1, redis.callLong("EXISTS", "resque:worker:" + dead + ":" + QUEUE), "SIGKILL leaves the job claimed");
        assertTrue(Failures.strings(redis.callList("SMEMBERS", "resque:workers")).contains(dead + ":" + QUEUE));
        return dead;
    }

    /** One processor on the queue, no scheduler (so only the start-up release can free the job). */
    private static TasksSettings settings(boolean retryStuckJobs) {
        return TasksSettings.from(Map.of("queues", QUEUE, "minTaskProcessors", 1, "maxTaskProcessors", 1,
                "timeout", 500, "checkTimeout", 100, "scheduler", false, "retryStuckJobs", retryStuckJobs), "worker");
    }
}
