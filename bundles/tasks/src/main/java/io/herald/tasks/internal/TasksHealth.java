package io.herald.tasks.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import io.herald.api.spi.HealthIndicator;
import io.herald.tasks.internal.scheduler.Scheduler;
import io.herald.tasks.internal.store.MemoryResqueStore;
import io.herald.tasks.internal.store.ResqueStore;
import io.herald.tasks.internal.worker.WorkerPool;

/**
 * The {@code tasks} entry of the status action: the store, jobs waiting and failed, workers in the cluster and on this
 * node, and the scheduler leader; {@code problems} lists what keeps the processor from doing its job.
 *
 * <ul>
 *   <li>DOWN when the processor does nothing it should: the store cannot be read (nothing can be enqueued), or every
 *       part this node is configured to run (the pool, the scheduler) is broken.</li>
 *   <li>DEGRADED when it works partly: one of the two parts is broken (stopped, its thread ended, fewer workers than the
 *       minimum, workers or scheduler cycles failing on the store, which covers an unreachable leader lock), the Redis
 *       {@code tasks} connection exists but its store cannot be used (jobs stay in this node), or jobs wait and no
 *       worker in the whole cluster will take them (the silent failure Actionhero users meet most).</li>
 *   <li>UP otherwise, including while the node is not ready yet or is stopping ({@code held}: workers and scheduler
 *       wait for {@code herald.ready} by design) and while they restart on new settings or another store.</li>
 * </ul>
 */
final class TasksHealth implements HealthIndicator {

    private final TaskProcessor processor;
    private final Supplier<String> storeProblem;

    /**
     * @param storeProblem why the configured Redis store is not in use, or {@code null}
     */
    TasksHealth(TaskProcessor processor, Supplier<String> storeProblem) {
        this.processor = processor;
        this.storeProblem = storeProblem;
    }

    @Override
    public Health health() {
        Map<String, Object> details = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        Health.State state = Health.State.UP;
        ResqueStore store = processor.store();
        details.put("store", store instanceof MemoryResqueStore ? "in-process" : "redis");
        details.put("namespace", store.namespace());
        WorkerPool pool = processor.pool();
        details.put("processors", pool == null ? 0 : pool.size());
        details.put("processorsBusy", pool == null ? 0 : pool.busy());
        Scheduler scheduler = processor.scheduler();
        details.put("scheduler", scheduler == null ? "off" : scheduler.isLeader() ? "leader" : "standby");
        details.put("problems", problems);
        String redis = storeProblem.get();
        if (redis != null) {
            problems.add(redis);
            state = Health.State.DEGRADED;
        }
        if (!processor.isRunning()) {
            details.put("held", "the node is not ready (herald.ready): task processors and the scheduler wait for it;"
                    + " jobs can be enqueued");
        } else if (processor.isRestarting()) {
            details.put("restarting", "task processors and the scheduler restart on new settings or another store");
        } else {
            state = worst(state, runners(pool, scheduler, problems));
        }
        try {
            long queued = QueuedJobs.total(store);
            int workers = store.workers().size();
            details.put("queued", queued);
            details.put("failed", store.failedCount());
            details.put("workers", workers);
            if (queued > 0 && workers == 0) {
                problems.add("jobs are waiting but no worker is registered in the cluster");
                state = worst(state, Health.State.DEGRADED);
            }
        } catch (RuntimeException e) {
            details.put("error", e.getMessage());
            problems.add("the task store cannot be read: " + e.getMessage());
            return new Health("tasks", Health.State.DOWN, details);
        }
        try {
            String leader = store.leader();
            details.put("leader", leader == null ? "none" : leader);
        } catch (RuntimeException e) {
            // the queues work: enqueueing and workers may still do their part
            details.put("leader", "unreadable");
            problems.add("the scheduler leader lock cannot be read: " + e.getMessage());
            state = worst(state, Health.State.DEGRADED);
        }
        return new Health("tasks", state, details);
    }

    /** The state the pool and the scheduler this node's settings ask for give, their problems added. */
    private Health.State runners(WorkerPool pool, Scheduler scheduler, List<String> problems) {
        TasksSettings settings = processor.settings();
        int configured = 0;
        int broken = 0;
        if (settings.maxTaskProcessors() > 0) {
            configured++;
            String problem = pool == null ? "no task processor runs although maxTaskProcessors is "
                    + settings.maxTaskProcessors() : pool.problem();
            if (problem != null) {
                problems.add(problem);
                broken++;
            }
        }
        if (settings.scheduler()) {
            configured++;
            String problem = scheduler == null ? "no scheduler runs although scheduler is on" : scheduler.problem();
            if (problem != null) {
                problems.add(problem);
                broken++;
            }
        }
        if (broken == 0) {
            return Health.State.UP;
        }
        return broken == configured ? Health.State.DOWN : Health.State.DEGRADED;
    }

    private static Health.State worst(Health.State a, Health.State b) {
        return a.compareTo(b) >= 0 ? a : b;
    }
}
