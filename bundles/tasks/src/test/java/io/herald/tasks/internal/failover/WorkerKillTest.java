package io.herald.tasks.internal.failover;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.herald.core.ParamChecks;
import io.herald.redis.internal.RedisConnections;
import io.herald.tasks.internal.TaskProcessor;
import io.herald.tasks.internal.TasksSettings;
import io.herald.tasks.internal.TestTasks;
import io.herald.tasks.internal.store.RedisResqueStore;
import io.herald.tasks.internal.wire.JsDate;
import io.herald.testing.Await;
import io.herald.testing.redis.RedisServer;
import io.herald.testing.redis.RespClient;

/**
 * Issue 4: a worker JVM killed with SIGKILL mid-job. Nothing unregisters it; its ping key just ages. A node running the
 * scheduler ({@code stuckWorkerTimeout} 3000 ms, {@code timeout} 500 ms) removes it once the ping is older than the
 * timeout, with node-resque's {@code forceCleanWorker} payload in {@code resque:failed}, or, with
 * {@code retryStuckJobs}, enqueues the job again for a surviving worker. The counters stay consistent: the dead
 * worker's own {@code stat:*:<worker>} keys go (as node-resque's forceCleanWorker deletes them), {@code stat:failed}
 * counts the dead run once.
 */
class WorkerKillTest {

    private static final String QUEUE = "slow";
    private static final long TIMEOUT_MILLIS = 500;
    private static final long STUCK_WORKER_TIMEOUT_MILLIS = 3000;
    private static final String HANG_JOB = "{\"class\":\"hang\",\"queue\":\"slow\",\"args\":[{\"id\":7}]}";
    private static final String TIMEOUT_MESSAGE = "Worker Timeout (killed manually)";
    private static final Duration BOUND = Duration.ofSeconds(60);

    @Test
    void the_job_of_a_worker_jvm_killed_mid_job_reaches_the_failed_queue() {
        try (Scenario scenario = Scenario.start(false)) {
            scenario.killMidJob();
            RespClient redis = scenario.redis;

            Await.until(() -> redis.callLong("LLEN", "resque:failed") == 1, BOUND, "the dead worker's job failed");
            System.out.printf("[no retry] the job reached resque:failed %d ms after the SIGKILL%n",
                    scenario.millisSinceKill());

            String entry = Failures.lrange(redis, "resque:failed").get(0);
            assertTrue(entry.startsWith("{\"worker\":\"" + scenario.dead + "\",\"queue\":\"slow\",\"payload\":"
                    + HANG_JOB + ",\"exception\":\"" + TIMEOUT_MESSAGE + "\",\"error\":\"" + TIMEOUT_MESSAGE
                    + "\",\"backtrace\":[\"killed by "), "node-resque's forceCleanWorker payload: " + entry);
            JsonNode failure = Failures.json(entry);
            JsonNode backtrace = failure.get("backtrace");
            assertEquals(3, backtrace.size(), entry);
            assertEquals("queue#forceCleanWorker", backtrace.get(1).asText());
            assertEquals("node-resque", backtrace.get(2).asText());
            assertTrue(JsDate.parse(failure.get("failed_at").asText()).isPresent(), entry);
            assertEquals(0, redis.callLong("LLEN", "resque:queue:" + QUEUE), "not enqueued again");

            scenario.assertDeadWorkerGone();
            assertEquals(1, Failures.counter(redis, "resque:stat:failed"), "the dead run counted failed once");
            assertEquals(3, Failures.counter(redis, "resque:stat:processed"), "the dead worker's earlier jobs");

            // the surviving worker carries on, and the counts move only by its job
            scenario.survivor.queue().enqueue(WorkerJvm.QUICK, Map.of("i", 3), QUEUE);
            Await.until(() -> scenario.quickHere.count() == 1, BOUND, "the surviving worker runs a new job");
            Await.until(() -> Failures.counter(redis, "resque:stat:processed") == 4, BOUND, "its job counted");
            assertEquals(1, Failures.counter(redis, "resque:stat:processed:" + scenario.survivorWorker));
            assertEquals(1, Failures.counter(redis, "resque:stat:failed"));
            assertEquals(1, redis.callLong("LLEN", "resque:failed"));
            assertEquals(0, scenario.hangHere.count());
        }
    }

    @Test
    void with_retry_stuck_jobs_the_job_of_a_killed_worker_jvm_runs_on_a_surviving_worker() {
        try (Scenario scenario = Scenario.start(true)) {
            scenario.killMidJob();
            RespClient redis = scenario.redis;

            Await.until(() -> scenario.hangHere.count() == 1, BOUND, "the job ran again on the surviving worker");
            System.out.printf("[retryStuckJobs] the job ran again %d ms after the SIGKILL%n",
                    scenario.millisSinceKill());
            Await.until(() -> Failures.counter(redis, "resque:stat:processed") == 4, BOUND, "its run counted");

            assertEquals(List.of(Map.of("id", 7)), scenario.hangHere.runs());
            assertEquals(List.of(scenario.survivorWorker), scenario.hangHere.workers());
            assertEquals(0, redis.callLong("LLEN", "resque:failed"), "the force-clean entry was retried away");
            assertEquals(0, redis.callLong("LLEN", "resque:queue:" + QUEUE));
            scenario.assertDeadWorkerGone();
            // node-resque counts the force-cleaned run as failed, and its retryStuckJobs leaves the count
            assertEquals(1, Failures.counter(redis, "resque:stat:failed"), "the dead run counted failed once");
            assertEquals(1, Failures.counter(redis, "resque:stat:processed:" + scenario.survivorWorker));
            assertEquals(0, Failures.counter(redis, "resque:stat:failed:" + scenario.survivorWorker));
        }
    }

    /**
     * A worker JVM that worked three quick jobs and hangs in a fourth, and a node in this JVM with the scheduler and
     * one surviving worker on the same queue.
     */
    private static final class Scenario implements AutoCloseable {
        final RedisServer server;
        final RespClient redis;
        final RedisConnections.Opened connection;
        final WorkerJvm child;
        final TaskProcessor survivor;
        final TestTasks.Recording quickHere = new TestTasks.Recording();
        final TestTasks.Recording hangHere = new TestTasks.Recording();
        final boolean retryStuckJobs;
        String dead;
        String survivorWorker;
        private long killedAt;

        private Scenario(boolean retryStuckJobs) {
            this.retryStuckJobs = retryStuckJobs;
            this.server = RedisServer.start();
            this.redis = server.client();
            this.connection = Failures.standalone(server.host(), server.port(), 5000);
            this.child = WorkerJvm.start(server.host(), server.port(), QUEUE);
            this.survivor = new TaskProcessor(ParamChecks.standard(), new RedisResqueStore(connection), "survivor");
            survivor.registry().addTask(quickHere, TestTasks.props(WorkerJvm.QUICK).build(), TestTasks.nextOrder());
            survivor.registry().addTask(hangHere, TestTasks.props(WorkerJvm.HANG).build(), TestTasks.nextOrder());
        }

        static Scenario start(boolean retryStuckJobs) {
            Scenario scenario = new Scenario(retryStuckJobs);
            try {
                scenario.dead = scenario.child.awaitStarted(BOUND);
                return scenario;
            } catch (RuntimeException | AssertionError e) {
                scenario.close();
                throw e;
            }
        }

        /** The child works three quick jobs, then hangs in HANG_JOB; the survivor starts; the child is killed. */
        void killMidJob() {
            for (int i = 0; i < 3; i++) {
                assertTrue(survivor.queue().enqueue(WorkerJvm.QUICK, Map.of("i", i), QUEUE));
            }
            assertTrue(survivor.queue().enqueue(WorkerJvm.HANG, Map.of("id", 7), QUEUE));
            child.awaitHanging(BOUND);
            String workingOnKey = "resque:worker:" + dead + ":" + QUEUE;
            JsonNode workingOn = Failures.json(redis.callString("GET", workingOnKey));
            assertEquals(Failures.json(HANG_JOB), workingOn.get("payload"));
            assertEquals(dead, workingOn.get("worker").asText());
            assertEquals(3, Failures.counter(redis, "resque:stat:processed"));
            assertEquals(3, Failures.counter(redis, "resque:stat:processed:" + dead));

            survivor.start(TasksSettings.from(Map.of("queues", QUEUE, "minTaskProcessors", 1, "maxTaskProcessors", 1,
                    "timeout", TIMEOUT_MILLIS, "checkTimeout", 100, "scheduler", true,
                    "stuckWorkerTimeout", STUCK_WORKER_TIMEOUT_MILLIS, "retryStuckJobs", retryStuckJobs), "worker"));
            survivorWorker = survivor.pool().workerNames().get(0);
            Await.until(() -> "survivor".equals(redis.callString("GET", "resque:resque_scheduler_leader_lock")),
                    BOUND, "the survivor's scheduler leads");

            // alive, the child's pings keep a job that runs longer than stuckWorkerTimeout from being taken as dead
            Instant runAt = JsDate.parse(workingOn.get("run_at").asText()).orElseThrow();
            Instant checked = runAt.plusMillis(STUCK_WORKER_TIMEOUT_MILLIS + 4 * TIMEOUT_MILLIS);
            Await.until(() -> Instant.now().isAfter(checked), BOUND, "the job runs past stuckWorkerTimeout");
            assertTrue(child.isAlive(), child.toString());
            assertEquals(0, redis.callLong("LLEN", "resque:failed"), "a live worker's long job is not failed");
            assertTrue(Failures.strings(redis.callList("SMEMBERS", "resque:workers")).contains(dead + ":" + QUEUE));
            assertEquals(1, redis.callLong("EXISTS", workingOnKey));

            child.kill();
            killedAt = System.nanoTime();
            assertEquals(1, redis.callLong("EXISTS", workingOnKey), "SIGKILL leaves the job claimed");
        }

        long millisSinceKill() {
            return Duration.ofNanos(System.nanoTime() - killedAt).toMillis();
        }

        /** The dead worker left nothing: member, ping, working-on, started and its own stat keys are gone. */
        void assertDeadWorkerGone() {
            assertEquals(List.of(survivorWorker + ":" + QUEUE),
                    Failures.strings(redis.callList("SMEMBERS", "resque:workers")));
            List<String> left = Failures.keys(redis, "resque:*" + dead + "*");
            assertEquals(List.of(), left, "keys of the dead worker " + dead);
            assertFalse(Failures.keys(redis, "resque:worker:ping:" + survivorWorker).isEmpty(), "the survivor pings");
        }

        @Override
        public void close() {
            try {
                survivor.stop();
                child.close();
                connection.close();
                redis.close();
            } finally {
                server.close();
            }
        }
    }
}
