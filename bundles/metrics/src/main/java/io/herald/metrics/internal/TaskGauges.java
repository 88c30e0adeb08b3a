package io.herald.metrics.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import io.herald.api.task.QueueDetails;
import io.herald.api.task.TaskQueue;
import io.herald.api.task.WorkerStatus;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;

/**
 * The task system as {@link TaskQueue#details()} reports it (Actionhero's {@code task.details()}), read once per scrape:
 * on Redis these are the whole cluster's queues, workers and Resque counters, the same on every node.
 * <ul>
 * <li>{@code herald_task_queue_length{queue}}: jobs waiting per queue;</li>
 * <li>{@code herald_task_failed_jobs}, {@code herald_task_delayed_jobs}: the failed queue's length, delayed jobs;</li>
 * <li>{@code herald_task_workers{state="working|idle"}}: registered workers;</li>
 * <li>{@code herald_task_resque_processed_total}, {@code herald_task_resque_failed_total}: Resque's {@code stat:processed}
 * and {@code stat:failed};</li>
 * <li>{@code herald_task_leader{leader}}: 1 for the scheduler holding the leader lock ({@code host:pid}), none while
 * no scheduler holds it;</li>
 * <li>{@code herald_task_store_readable}: 1 when the details could be read, 0 when the store failed (the other
 * series then disappear rather than show stale numbers).</li>
 * </ul>
 * Without a {@link TaskQueue} service (no tasks bundle) none of these exist.
 */
final class TaskGauges {

    private final Supplier<TaskQueue> tasks;
    private final MultiGauge queueLengths;
    private final MultiGauge workers;
    private final MultiGauge leader;
    private final MeterRegistry registry;
    private volatile QueueDetails details;
    private volatile boolean registered;

    TaskGauges(MeterRegistry registry, Supplier<TaskQueue> tasks) {
        this.registry = registry;
        this.tasks = tasks;
        this.queueLengths = MultiGauge.builder("herald.task.queue.length")
                .description("Jobs waiting in each task queue").register(registry);
        this.workers = MultiGauge.builder("herald.task.workers")
                .description("Task workers registered in the cluster, working or idle").register(registry);
        this.leader = MultiGauge.builder("herald.task.leader")
                .description("1 for the scheduler holding the leader lock").register(registry);
    }

    /** Reads the details; called before each scrape. */
    void refresh() {
        TaskQueue queue = tasks.get();
        if (queue == null) {
            clear();
            return;
        }
        registerSingles();
        QueueDetails read;
        try {
            read = queue.details();
        } catch (RuntimeException e) {
            details = null;
            clear();
            return;
        }
        details = read;
        List<MultiGauge.Row<?>> lengths = new ArrayList<>();
        read.queues().forEach((name, length) -> lengths.add(MultiGauge.Row.of(Tags.of("queue", name), length)));
        queueLengths.register(lengths, true);
        long working = read.workers().stream().filter(WorkerStatus::isWorking).count();
        workers.register(List.of(MultiGauge.Row.of(Tags.of("state", "working"), working),
                MultiGauge.Row.of(Tags.of("state", "idle"), read.workers().size() - working)), true);
        leader.register(read.leader() == null ? List.of()
                : List.of(MultiGauge.Row.of(Tags.of("leader", read.leader()), 1)), true);
    }

    private void clear() {
        queueLengths.register(List.of(), true);
        workers.register(List.of(), true);
        leader.register(List.of(), true);
    }

    private void registerSingles() {
        if (registered) {
            return;
        }
        registered = true;
        Gauge.builder("herald.task.store.readable", this, g -> g.details == null ? 0 : 1)
                .description("1 when the task store answered the last scrape, 0 when it failed").register(registry);
        Gauge.builder("herald.task.failed.jobs", this, g -> value(g.details, d -> d.failed()))
                .description("Jobs in the failed queue").register(registry);
        Gauge.builder("herald.task.delayed.jobs", this, g -> value(g.details, d -> d.delayed()))
                .description("Delayed jobs waiting for their time").register(registry);
        FunctionCounter.builder("herald.task.resque.processed", this, g -> stat(g.details, "processed"))
                .description("Resque's stat:processed: jobs processed by every worker of the cluster").register(registry);
        FunctionCounter.builder("herald.task.resque.failed", this, g -> stat(g.details, "failed"))
                .description("Resque's stat:failed: jobs that failed on every worker of the cluster").register(registry);
    }

    private interface Field {
        long of(QueueDetails details);
    }

    private static double value(QueueDetails details, Field field) {
        return details == null ? Double.NaN : field.of(details);
    }

    private static double stat(QueueDetails details, String name) {
        if (details == null) {
            return Double.NaN;
        }
        Map<String, Long> stats = details.stats();
        Long value = stats.get(name);
        return value == null ? 0 : value;
    }
}
