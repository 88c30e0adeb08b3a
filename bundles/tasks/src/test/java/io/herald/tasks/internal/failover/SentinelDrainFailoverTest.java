package io.herald.tasks.internal.failover;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.herald.api.Input;
import io.herald.api.Inputs;
import io.herald.api.task.Task;
import io.herald.api.task.TaskContext;
import io.herald.core.ParamChecks;
import io.herald.redis.internal.RedisConnections;
import io.herald.tasks.internal.TaskProcessor;
import io.herald.tasks.internal.TasksSettings;
import io.herald.tasks.internal.redis.RedisStores;
import io.herald.testing.Await;
import io.herald.testing.redis.Failover;
import io.herald.testing.redis.RedisAddress;
import io.herald.testing.redis.RespClient;
import io.herald.testing.redis.SentinelTopology;

/**
 * Issue 4's failover scenario: 10,000 jobs drained by 10 processors on two nodes (each with its own {@code tasks}
 * connection through the sentinels) while Sentinel moves the leader, once gracefully ({@code SENTINEL FAILOVER}) and
 * once by SIGKILL of the leader. Afterwards every job ran at least once or sits in {@code resque:failed}; none
 * vanished.
 *
 * <p>Why {@code waitReplicas = 1}: Redis replicates asynchronously, so a killed leader takes the writes it acknowledged
 * but had not yet sent to the replica with it. The enqueues and the jobs' ends are followed by {@code WAIT 1}, so what
 * the store acknowledged is on the replica that gets promoted. Taking a job ({@code popAndStore}) is not waited for:
 * when that write is lost the job is still queued on the new leader and runs again. So the delivery is at least once,
 * as with any Resque (RedisResqueStore's class comment); the duplicates are counted, printed and bounded.
 */
class SentinelDrainFailoverTest {

    private static final int JOBS = 10_000;
    private static final String TASK = "drainRecord";
    private static final String QUEUE = "drain";
    /** Covers a failover: down-after 2 s, the election, the promotion, Jedis following {@code +switch-master}. */
    private static final long RETRY_WINDOW_MILLIS = 15_000;
    /** The failover starts once this many jobs ran, so that most of the drain happens across it. */
    private static final int FAILOVER_AFTER = 1_000;
    /** Each run takes a little time, so the drain lasts longer than a failover on a fast machine too. */
    private static final long RUN_MILLIS = 2;
    private static final Duration DRAIN_BOUND = Duration.ofSeconds(150);

    private enum Cut {
        GRACEFUL, LEADER_KILLED
    }

    @Test
    void a_graceful_sentinel_failover_during_a_drain_loses_no_job() throws Exception {
        drainAcross(Cut.GRACEFUL);
    }

    @Test
    void a_leader_killed_during_a_drain_loses_no_job_with_wait_replicas() throws Exception {
        drainAcross(Cut.LEADER_KILLED);
    }

    private static void drainAcross(Cut cut) throws Exception {
        Runs runs = new Runs();
        try (SentinelTopology topology = SentinelTopology.start();
                RedisConnections.Opened first = Failures.sentinel(topology, RETRY_WINDOW_MILLIS);
                RedisConnections.Opened second = Failures.sentinel(topology, RETRY_WINDOW_MILLIS);
                LeaderReads leader = new LeaderReads(topology)) {
            TasksSettings withScheduler = settings(true);
            TaskProcessor nodeA = node(first, "drain-a", withScheduler, runs);
            TaskProcessor nodeB = node(second, "drain-b", settings(false), runs);
            try {
                enqueueAll(nodeA);
                assertEquals((long) JOBS, (long) leader.read(r -> r.callLong("LLEN", "resque:queue:" + QUEUE)),
                        "every enqueue is on the leader");

                nodeA.start(withScheduler);
                nodeB.start(settings(false));
                Await.until(() -> runs.total() >= FAILOVER_AFTER, Duration.ofSeconds(60),
                        FAILOVER_AFTER + " jobs run before the failover");

                Failover failover = cut == Cut.GRACEFUL ? topology.failoverGracefully() : topology.killLeader();
                long queuedAfterSwitch = leader.read(r -> r.callLong("LLEN", "resque:queue:" + QUEUE));
                System.out.printf("[%s] failover %s; %d jobs queued on the new leader, %d runs so far%n", cut, failover,
                        queuedAfterSwitch, runs.total());
                assertTrue(queuedAfterSwitch > 0, "the drain must still be under way when the leader has changed");
                if (cut == Cut.LEADER_KILLED) {
                    // until the killed node is back as a replica, WAIT 1 cannot be satisfied: jobs' ends are retried
                    topology.restartKilled();
                }

                Await.until(() -> drained(leader) && idle(nodeA) && idle(nodeB), DRAIN_BOUND,
                        "the queue drained, no job held by a worker, every processor idle");
                Map<String, Long> stats = leader.read(SentinelDrainFailoverTest::stats);
                List<String> failedEntries = leader.read(r -> Failures.lrange(r, "resque:failed"));
                long runsWhenDrained = runs.total();

                report(cut, runs, stats, failedEntries);
                assertNoJobVanished(runs, failedEntries);
                assertDuplicatesBounded(runs);
                assertAccounting(stats, failedEntries, runs, runsWhenDrained);
            } finally {
                nodeA.stop();
                nodeB.stop();
            }
            assertEquals(List.of(), leader.read(r -> r.callList("SMEMBERS", "resque:workers")),
                    "both nodes unregistered their workers on stop");
        }
    }

    // ------------------------------------------------------------------------------------------------ the nodes

    /** The worker role's settings with 5 processors on the drain queue and {@code waitReplicas = 1}. */
    private static TasksSettings settings(boolean scheduler) {
        Map<String, Object> config = new HashMap<>();
        config.put("queues", QUEUE);
        config.put("minTaskProcessors", "5");
        config.put("maxTaskProcessors", "5");
        config.put("timeout", "500");
        config.put("checkTimeout", "100");
        config.put("scheduler", String.valueOf(scheduler));
        config.put("waitReplicas", "1");
        config.put("waitTimeout", "2000");
        config.put("shutdownTimeout", "10000");
        return TasksSettings.from(config, "worker");
    }

    /** A node as TasksComponent assembles it on a {@code tasks} connection: the store from the settings' WAIT keys. */
    private static TaskProcessor node(RedisConnections.Opened connection, String name, TasksSettings settings,
            Runs runs) {
        TaskProcessor node = new TaskProcessor(ParamChecks.standard(), RedisStores.create(connection,
                settings.namespace(), settings.waitReplicas(), settings.waitTimeoutMillis()), name);
        node.registry().addTask(new RecordN(runs), Map.of("herald.task.name", TASK, "herald.task.queue", QUEUE), 1);
        return node;
    }

    /** Enqueues n = 0..9999 through the TaskQueue API (params validated, WAIT after each), on four threads. */
    private static void enqueueAll(TaskProcessor node) throws Exception {
        int threads = 4;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> parts = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int offset = t;
                parts.add(pool.submit(() -> {
                    for (int n = offset; n < JOBS; n += threads) {
                        if (!node.queue().enqueue(TASK, Map.of("n", n))) {
                            throw new AssertionError("enqueue of n=" + n + " was declined");
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> part : parts) {
                part.get(120, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static boolean drained(LeaderReads leader) {
        try {
            return leader.read(r -> r.callLong("LLEN", "resque:queue:" + QUEUE) == 0
                    && Failures.keys(r, "resque:worker:*:" + QUEUE).isEmpty());
        } catch (RuntimeException e) {
            return false; // the topology is still settling
        }
    }

    private static boolean idle(TaskProcessor node) {
        return node.pool() != null && node.pool().busy() == 0;
    }

    // ------------------------------------------------------------------------------------------------ assertions

    private static Map<String, Long> stats(RespClient redis) {
        Map<String, Long> stats = new TreeMap<>();
        for (String key : Failures.keys(redis, "resque:stat:*")) {
            stats.put(key.substring("resque:stat:".length()), Failures.counter(redis, key));
        }
        return stats;
    }

    private static void assertNoJobVanished(Runs runs, List<String> failedEntries) {
        Set<Integer> failed = new TreeSet<>();
        for (String entry : failedEntries) {
            JsonNode args = Failures.json(entry).path("payload").path("args");
            assertTrue(args.path(0).path("n").isInt(), "a failed entry of the drain: " + entry);
            failed.add(args.path(0).path("n").asInt());
        }
        List<Integer> vanished = new ArrayList<>();
        for (int n = 0; n < JOBS; n++) {
            if (!runs.hasRun(n) && !failed.contains(n)) {
                vanished.add(n);
            }
        }
        assertEquals(List.of(), vanished, "jobs neither run nor in resque:failed");
    }

    private static void assertDuplicatesBounded(Runs runs) {
        long duplicates = runs.total() - runs.distinct();
        assertTrue(duplicates < JOBS / 100, duplicates + " duplicate runs, expected fewer than 1%: " + runs.repeated());
    }

    /**
     * The counters against what ran. Every run of the task ends in one {@code completeJob}, which counts it globally
     * and for its worker in one script; nothing here throws, so failures can only be force-cleaned jobs. Across a
     * failover a job may run twice (its claim was lost with the old leader), so the counts must lie between the
     * distinct jobs (none uncounted) and the runs (no count without a run); a job's end written twice breaks the
     * latter.
     */
    private static void assertAccounting(Map<String, Long> stats, List<String> failedEntries, Runs runs,
            long runsWhenDrained) {
        long processed = stats.getOrDefault("processed", 0L);
        long failed = stats.getOrDefault("failed", 0L);
        long perWorkerProcessed = 0;
        long perWorkerFailed = 0;
        for (Map.Entry<String, Long> stat : stats.entrySet()) {
            if (stat.getKey().startsWith("processed:")) {
                perWorkerProcessed += stat.getValue();
            } else if (stat.getKey().startsWith("failed:")) {
                perWorkerFailed += stat.getValue();
            }
        }
        assertEquals(processed, perWorkerProcessed, "stat:processed is the sum of the workers' counters " + stats);
        assertEquals(failedEntries.size(), failed, "stat:failed counts the entries of resque:failed " + stats);
        assertTrue(perWorkerFailed <= failed, "per-worker failures within the global count " + stats);
        long counted = processed + failedEntries.size();
        assertTrue(counted >= runs.distinct(), "every job counted: stat:processed " + processed + " + failed "
                + failedEntries.size() + " < " + runs.distinct() + " distinct jobs run");
        assertTrue(counted <= runsWhenDrained, "no count without a run: stat:processed " + processed + " + failed "
                + failedEntries.size() + " > " + runsWhenDrained + " runs of the task (a job's end recorded twice) "
                + stats);
    }

    private static void report(Cut cut, Runs runs, Map<String, Long> stats, List<String> failedEntries) {
        long processed = stats.getOrDefault("processed", 0L);
        System.out.printf("[%s] %d runs of %d distinct jobs: %d duplicate runs %s; stat:processed %d, stat:failed %d,"
                + " resque:failed %d; counted minus runs: %d%n", cut, runs.total(), runs.distinct(),
                runs.total() - runs.distinct(), runs.repeated(), processed, stats.getOrDefault("failed", 0L),
                failedEntries.size(), processed + failedEntries.size() - runs.total());
    }

    // ------------------------------------------------------------------------------------------------ helpers

    /** What ran, in the test JVM: how many times each n. */
    private static final class Runs {
        private final Map<Integer, AtomicInteger> byN = new ConcurrentHashMap<>();
        private final AtomicLong total = new AtomicLong();

        void record(int n) {
            byN.computeIfAbsent(n, key -> new AtomicInteger()).incrementAndGet();
            total.incrementAndGet();
        }

        boolean hasRun(int n) {
            return byN.containsKey(n);
        }

        long total() {
            return total.get();
        }

        long distinct() {
            return byN.size();
        }

        /** n → runs, for the jobs that ran more than once (at most 50 shown). */
        Map<Integer, Integer> repeated() {
            Map<Integer, Integer> repeated = new TreeMap<>();
            byN.forEach((n, count) -> {
                if (count.get() > 1 && repeated.size() < 50) {
                    repeated.put(n, count.get());
                }
            });
            return repeated;
        }
    }

    /** Records its params' {@code n}; takes {@link #RUN_MILLIS}. */
    private static final class RecordN implements Task {
        private final Runs runs;

        RecordN(Runs runs) {
            this.runs = runs;
        }

        @Override
        public Inputs inputs() {
            return Inputs.of(Input.required("n"));
        }

        @Override
        public Object run(TaskContext context) throws Exception {
            Thread.sleep(RUN_MILLIS);
            runs.record(((Number) context.param("n")).intValue());
            return null;
        }
    }

    /** Plain RESP reads on the leader the sentinels name now (a new client when it changes). */
    private static final class LeaderReads implements AutoCloseable {
        private final SentinelTopology topology;
        private RedisAddress address;
        private RespClient client;

        LeaderReads(SentinelTopology topology) {
            this.topology = topology;
        }

        synchronized <T> T read(java.util.function.Function<RespClient, T> reads) {
            RedisAddress now = topology.currentLeader();
            if (!now.equals(address)) {
                close();
                client = RespClient.connect(now, null, Duration.ofSeconds(5));
                address = now;
            }
            try {
                return reads.apply(client);
            } catch (RuntimeException e) {
                close();
                throw e;
            }
        }

        @Override
        public synchronized void close() {
            if (client != null) {
                try {
                    client.close();
                } finally {
                    client = null;
                    address = null;
                }
            }
        }
    }
}
