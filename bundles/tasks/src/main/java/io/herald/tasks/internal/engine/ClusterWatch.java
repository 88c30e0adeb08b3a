package io.herald.tasks.internal.engine;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.herald.tasks.internal.store.ResqueStore;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Warns when a node enqueues work that nobody in the cluster will pick up: no worker registered in {@code workers}, or
 * no scheduler holding the leader lock (delayed jobs, retries and recurring tasks then wait). Actionhero users' most
 * common complaint is tasks that silently never run because workers and the scheduler are off by default.
 *
 * <p>The check costs two Redis reads, so it runs at most once per {@link #CHECK_EVERY_SECONDS} seconds, whatever the
 * enqueue rate; each warning repeats at most once per {@link #WARN_EVERY_SECONDS} seconds.
 */
final class ClusterWatch {

    static final long CHECK_EVERY_SECONDS = 10;
    static final long WARN_EVERY_SECONDS = 60;
    private static final Logger LOG = LoggerFactory.getLogger(ClusterWatch.class);

    private final AtomicLong nextCheck = new AtomicLong(System.nanoTime());
    private final AtomicLong nextWorkerWarning = new AtomicLong(System.nanoTime());
    private final AtomicLong nextSchedulerWarning = new AtomicLong(System.nanoTime());

    /** After a job was enqueued ({@code delayed}: scheduled) on {@code queue}. */
    public void enqueued(ResqueStore store, String queue, boolean delayed) {
        long now = System.nanoTime();
        long due = nextCheck.get();
        if (now - due < 0 || !nextCheck.compareAndSet(due, now + TimeUnit.SECONDS.toNanos(CHECK_EVERY_SECONDS))) {
            return;
        }
        try {
            if (store.workers().isEmpty() && claim(nextWorkerWarning, now)) {
                LOG.warn("a job was {} queue {} but no task worker is registered in the cluster ({}:workers is empty):"
                        + " it waits until a node runs task processors (minTaskProcessors/maxTaskProcessors above 0 in"
                        + " io.herald.tasks.cfg, MIN_TASK_PROCESSORS/MAX_TASK_PROCESSORS, or a node with"
                        + " HERALD_ROLE=worker)", delayed ? "scheduled for" : "enqueued on", queue, store.namespace());
            }
            if (store.leader() == null && claim(nextSchedulerWarning, now)) {
                LOG.warn("a job was {} queue {} but no scheduler runs in the cluster (no {}:resque_scheduler_leader_lock):"
                        + " delayed jobs, retries, recurring tasks and stuck-worker cleanup wait until a node runs it"
                        + " (scheduler = true in io.herald.tasks.cfg, SCHEDULER=true, or a node with HERALD_ROLE=worker)",
                        delayed ? "scheduled for" : "enqueued on", queue, store.namespace());
            }
        } catch (RuntimeException e) {
            // only a hint: the enqueue itself succeeded, and the store's own errors surface elsewhere
            LOG.debug("could not check for workers and a scheduler: {}", e.getMessage());
        }
    }

    private static boolean claim(AtomicLong next, long now) {
        long due = next.get();
        return now - due >= 0 && next.compareAndSet(due, now + TimeUnit.SECONDS.toNanos(WARN_EVERY_SECONDS));
    }
}
