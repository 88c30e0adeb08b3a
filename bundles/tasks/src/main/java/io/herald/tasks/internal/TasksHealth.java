package io.herald.tasks.internal;

import java.util.LinkedHashMap;
import java.util.Map;

import io.herald.api.spi.HealthIndicator;
import io.herald.tasks.internal.scheduler.Scheduler;
import io.herald.tasks.internal.store.MemoryResqueStore;
import io.herald.tasks.internal.store.ResqueStore;
import io.herald.tasks.internal.worker.WorkerPool;

/**
 * The {@code tasks} entry of the status action: the store, jobs waiting and failed, workers in the cluster and on this
 * node, and the scheduler leader. DOWN when the store cannot be read; DEGRADED when jobs wait and no worker in the whole
 * cluster will take them (the silent failure Actionhero users meet most).
 */
final class TasksHealth implements HealthIndicator {

    private final TaskProcessor processor;

    TasksHealth(TaskProcessor processor) {
        this.processor = processor;
    }

    @Override
    public Health health() {
        Map<String, Object> details = new LinkedHashMap<>();
        ResqueStore store = processor.store();
        details.put("store", store instanceof MemoryResqueStore ? "in-process" : "redis");
        details.put("namespace", store.namespace());
        WorkerPool pool = processor.pool();
        details.put("processors", pool == null ? 0 : pool.size());
        details.put("processorsBusy", pool == null ? 0 : pool.busy());
        Scheduler scheduler = processor.scheduler();
        details.put("scheduler", scheduler == null ? "off" : scheduler.isLeader() ? "leader" : "standby");
        if (!processor.isRunning()) {
            details.put("held", "the node is not ready (herald.ready): task processors and the scheduler wait for it;"
                    + " jobs can be enqueued");
        }
        try {
            long queued = 0;
            for (String queue : store.queues()) {
                queued += store.length(queue);
            }
            int workers = store.workers().size();
            details.put("queued", queued);
            details.put("failed", store.failedCount());
            details.put("workers", workers);
            String leader = store.leader();
            details.put("leader", leader == null ? "none" : leader);
            if (queued > 0 && workers == 0) {
                details.put("warning", "jobs are waiting but no worker is registered in the cluster");
                return new Health("tasks", Health.State.DEGRADED, details);
            }
            return new Health("tasks", Health.State.UP, details);
        } catch (RuntimeException e) {
            details.put("error", e.getMessage());
            return new Health("tasks", Health.State.DOWN, details);
        }
    }
}
