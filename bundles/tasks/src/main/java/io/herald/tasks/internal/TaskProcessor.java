package io.herald.tasks.internal;

import java.util.Objects;

import io.herald.api.spi.ParamChecker;
import io.herald.api.task.TaskQueue;
import io.herald.tasks.internal.engine.JobRunner;
import io.herald.tasks.internal.engine.RegisteredTask;
import io.herald.tasks.internal.engine.ResqueTaskQueue;
import io.herald.tasks.internal.engine.TaskRegistry;
import io.herald.tasks.internal.plugins.BuiltInPlugins;
import io.herald.tasks.internal.scheduler.DeadWorkers;
import io.herald.tasks.internal.scheduler.Scheduler;
import io.herald.tasks.internal.store.MemoryResqueStore;
import io.herald.tasks.internal.store.ResqueStore;
import io.herald.tasks.internal.wire.Payloads;
import io.herald.tasks.internal.wire.WireFormatException;
import io.herald.tasks.internal.worker.WorkerPool;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The task processor of one node, wired together: the registry (tasks, plugins, middleware), the {@link TaskQueue}, and
 * the worker pool and scheduler the settings ask for, all over one {@link ResqueStore}. Used by {@link TasksComponent}
 * under OSGi and by tests without it.
 *
 * <p>The store can change while the node runs: the in-process store serves until the Redis {@code tasks} connection
 * appears (Declarative Services starts components in no fixed order), and again if it goes. On a change the pool and
 * the scheduler stop, the queue switches, and they start again on the new store. Jobs enqueued in the in-process store
 * meanwhile are moved to the new store (queued and delayed ones; a recurring task's job is left to the new scheduler,
 * which enqueues it with its locks), so nothing enqueued in those first moments is lost.
 */
public final class TaskProcessor {

    private static final Logger LOG = LoggerFactory.getLogger(TaskProcessor.class);

    private final TaskRegistry registry = new TaskRegistry();
    private final ResqueTaskQueue queue;
    private final String schedulerName;
    private volatile TasksSettings settings;
    /** Read without the lock (health, a job enqueueing): stopping may hold the lock for the shutdown bound. */
    private volatile WorkerPool pool;
    private volatile Scheduler scheduler;
    private volatile boolean running;
    private volatile boolean restarting;

    /**
     * @param schedulerName the scheduler's name in the leader lock ({@link Scheduler.Settings#defaultName()})
     */
    public TaskProcessor(ParamChecker checker, ResqueStore store, String schedulerName) {
        this.queue = new ResqueTaskQueue(registry, checker, store);
        this.schedulerName = Objects.requireNonNull(schedulerName, "schedulerName");
        BuiltInPlugins.create(queue::store).forEach(registry::addBuiltInPlugin);
        queue.onEnqueued(this::jobArrived);
    }

    public TaskRegistry registry() {
        return registry;
    }

    public ResqueTaskQueue queue() {
        return queue;
    }

    public ResqueStore store() {
        return queue.store();
    }

    /** Starts the pool and the scheduler as {@code settings} ask. */
    public synchronized void start(TasksSettings next) {
        this.settings = Objects.requireNonNull(next, "settings");
        registry.departureTimeout(next.shutdownTimeoutMillis());
        running = true;
        startRunners();
    }

    /**
     * Applies new settings: the pool and the scheduler restart on them when running; before {@link #start} (a node
     * not ready yet), they are kept for it and the queue serves alone.
     */
    public synchronized void reconfigure(TasksSettings next) {
        restarting = true;
        try {
            stopRunners();
            this.settings = Objects.requireNonNull(next, "settings");
            registry.departureTimeout(next.shutdownTimeoutMillis());
            if (running) {
                startRunners();
            }
        } finally {
            restarting = false;
        }
    }

    /** Moves the processor to another store (see the class comment). */
    public synchronized void useStore(ResqueStore next) {
        ResqueStore previous = queue.store();
        if (previous == next) {
            return;
        }
        restarting = true;
        try {
            stopRunners();
            if (previous instanceof MemoryResqueStore) {
                moveJobs(previous, next);
            }
            queue.useStore(next);
            LOG.info("tasks now use the {} store (namespace {})", next instanceof MemoryResqueStore ? "in-process"
                    : "Redis", next.namespace());
            if (running) {
                startRunners();
            }
        } finally {
            restarting = false;
        }
    }

    /**
     * Stops the scheduler (releasing the leader lock) and the pool, gracefully: workers take no new job, jobs in flight
     * may finish within {@code shutdownTimeout}, then each worker unregisters. Returns when that is done. The queue
     * keeps serving.
     */
    public synchronized void stop() {
        running = false;
        stopRunners();
    }

    /** Whether {@link #start} was called and {@link #stop} not since: the pool and scheduler run as the settings ask. */
    public boolean isRunning() {
        return running;
    }

    /** Whether the pool and the scheduler are being restarted (new settings, another store) now. */
    public boolean isRestarting() {
        return restarting;
    }

    /** The local pool, or {@code null} when this node runs no processor (or none yet). */
    public WorkerPool pool() {
        return pool;
    }

    /** The local scheduler, or {@code null} when this node runs none (or none yet). */
    public Scheduler scheduler() {
        return scheduler;
    }

    /** The settings in force, {@code null} before the first. */
    public TasksSettings settings() {
        return settings;
    }

    private void startRunners() {
        ResqueStore store = queue.store();
        if (settings.maxTaskProcessors() > 0) {
            releaseDeadLocalWorkers();
            pool = new WorkerPool(settings.pool(), store, new JobRunner(queue));
            pool.start();
        }
        if (settings.scheduler()) {
            scheduler = new Scheduler(settings.scheduler(schedulerName), queue);
            scheduler.start();
        }
    }

    /**
     * Before this node's workers start: the jobs of workers of this host whose process is gone (the node was killed and
     * restarted) are released at once instead of after {@code stuckWorkerTimeout} ({@link DeadWorkers#releaseLocal}).
     * Done where the pool starts rather than the scheduler: a process that dies holding jobs ran workers, so its restart
     * runs a pool on that host (a scheduler may run on another node, which cannot check this host's pids), and the pool
     * knows which workers of this pid are alive. Runs when the node is ready, so a retried job finds its task.
     */
    private void releaseDeadLocalWorkers() {
        try {
            DeadWorkers.releaseLocal(queue, settings.retryStuckJobs(), WorkerPool::runsHere);
        } catch (RuntimeException e) {
            LOG.warn("workers of this host left by dead processes could not be released now (a scheduler removes them"
                    + " after stuckWorkerTimeout): {}", e.getMessage());
        }
    }

    private void stopRunners() {
        if (scheduler != null) {
            scheduler.stop();
            scheduler = null;
        }
        if (pool != null) {
            pool.stop();
            pool = null;
        }
    }

    private void jobArrived(String queueName) {
        WorkerPool current = pool;
        if (current != null) {
            current.jobArrived(queueName);
        }
    }

    private void moveJobs(ResqueStore from, ResqueStore to) {
        long moved = 0;
        try {
            for (String q : from.queues()) {
                for (String job : from.queued(q, 0, -1)) {
                    if (!recurring(job)) {
                        to.enqueue(q, job);
                        moved++;
                    }
                }
            }
            for (long timestamp : from.delayedTimestamps()) {
                for (String job : from.delayedAt(timestamp)) {
                    if (!recurring(job) && to.schedule(timestamp, job)) {
                        moved++;
                    }
                }
            }
        } catch (RuntimeException e) {
            LOG.error("jobs of the in-process store could not all be moved to the new store ({} moved): {}", moved,
                    e.getMessage(), e);
            return;
        }
        if (moved > 0) {
            LOG.info("{} jobs enqueued in the in-process store moved to the new store", moved);
        }
    }

    private boolean recurring(String job) {
        try {
            RegisteredTask task = registry.task(Payloads.decodeJob(job, "default").taskName());
            return task != null && task.recurring();
        } catch (WireFormatException e) {
            return false;
        }
    }
}
