package io.herald.metrics.internal;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;

import io.herald.api.task.TaskEvent;
import io.herald.api.task.TaskMiddleware;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * Counts and times the jobs this node's workers perform, as the histogram {@value #NAME}
 * ({@code herald_task_jobs_seconds}) by {@code task} and {@code result} ({@code succeeded} or {@code failed}): a global
 * task middleware, so it sees every job whose task runs here. It runs first (lowest priority) and its
 * {@code postProcess} sees what the job threw; a {@code Retry} plugin that re-enqueues the job afterwards still leaves
 * it counted failed here, while Resque's own {@code failed} counter
 * ({@link TaskGauges}) counts only what reached the failed queue. Jobs that fail before any hook runs (an unknown task,
 * a payload that is not a job) are in Resque's counters only.
 */
final class TaskMetrics implements TaskMiddleware {

    static final String NAME = "herald.task.jobs";
    /** Runs before any other middleware, so its time covers theirs. */
    static final int PRIORITY = Integer.MIN_VALUE;

    static final Duration[] BUCKETS = {Duration.ofMillis(10), Duration.ofMillis(50), Duration.ofMillis(100),
        Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(5), Duration.ofSeconds(10),
        Duration.ofSeconds(30), Duration.ofMinutes(1), Duration.ofMinutes(5)};

    private record Key(String task, boolean failed) {
    }

    /** A job's hooks run on the worker's thread, one job at a time: its start is that thread's. */
    private final ThreadLocal<long[]> started = ThreadLocal.withInitial(() -> new long[1]);
    private final MeterRegistry registry;
    private final ConcurrentMap<Key, Timer> timers = new ConcurrentHashMap<>();

    TaskMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public boolean preProcess(TaskEvent event) {
        started.get()[0] = System.nanoTime();
        return true;
    }

    @Override
    public void postProcess(TaskEvent event) {
        long nanos = System.nanoTime() - started.get()[0];
        Key key = new Key(event.job().taskName(), event.error() != null);
        timers.computeIfAbsent(key, this::timer).record(nanos, TimeUnit.NANOSECONDS);
    }

    private Timer timer(Key key) {
        return Timer.builder(NAME)
                .description("Jobs performed by this node's workers, by task and result, and how long they took")
                .tag("task", key.task())
                .tag("result", key.failed() ? "failed" : "succeeded")
                .serviceLevelObjectives(BUCKETS)
                .register(registry);
    }
}
