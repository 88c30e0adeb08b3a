package io.herald.tasks.internal.worker;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

import io.herald.tasks.internal.store.ResqueStore;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wakes a pool's idle workers as soon as a job arrives in one of their queues, whoever enqueued it (another node,
 * node-resque, a Ruby peer), so no job waits for an idle worker's {@code timeout} poll. node-resque's idle workers
 * sleep {@code timeout} ms between polls; Herald's do too, as a fallback, but are woken at once instead.
 *
 * <p>One watcher per queue, only while a worker of the pool waits idle: it blocks on the server
 * ({@link ResqueStore#awaitJob}, {@code BLMOVE q q RIGHT RIGHT}: the queue is left as it was) and rings one waiting
 * worker when the queue holds a job; that worker then claims from its queues in its own order, as after any wake-up.
 * While every worker is busy the watchers wait in the JVM without a Redis call, so a busy pool pays nothing for them.
 * Each watcher holds one of the connection's pooled Redis connections while it blocks, so at most
 * {@link #MAX_WATCHED} queues are watched (for a {@code *} pool, the first ones in sorted order); jobs in the others are
 * found by the pool's checks ({@code checkTimeout}) and the workers' own polls. A store that cannot wait (the
 * in-process one, Redis before 6.2) gets no watcher.
 *
 * <p>Watchers run on virtual threads on Java 21 and later; on 17 they are platform daemon threads, one per watched
 * queue (bounded by {@link #MAX_WATCHED}).
 */
final class QueueWatch {

    private static final Logger LOG = LoggerFactory.getLogger(QueueWatch.class);
    /** The most queues watched: each watcher holds a pooled Redis connection (the pool has 32 by default). */
    static final int MAX_WATCHED = 8;

    private final ResqueStore store;
    private final long timeoutMillis;
    private final Supplier<List<Worker>> workers;
    /** The watched queues, each with its watcher's token: a watcher runs while its queue maps to its token. */
    private final Map<String, Object> watchers = new ConcurrentHashMap<>();
    private final ReentrantLock lock = new ReentrantLock();
    /** Signalled when a worker starts waiting idle. */
    private final Condition waiting = lock.newCondition();
    private volatile boolean running = true;

    /**
     * @param timeoutMillis how long one server-side wait lasts (the pool's {@code timeout})
     * @param workers the pool's workers now
     */
    QueueWatch(ResqueStore store, long timeoutMillis, Supplier<List<Worker>> workers) {
        this.store = store;
        this.timeoutMillis = timeoutMillis;
        this.workers = workers;
    }

    /** Watches these queues (the first {@link #MAX_WATCHED}), and no others. */
    void watch(Collection<String> queues) {
        if (!running || !store.awaitsJobs()) {
            return;
        }
        List<String> wanted = queues.stream().filter(q -> !"*".equals(q)).distinct().limit(MAX_WATCHED).toList();
        watchers.keySet().removeIf(queue -> !wanted.contains(queue)); // its thread sees it is gone and ends
        for (String queue : wanted) {
            Object token = new Object();
            if (watchers.putIfAbsent(queue, token) == null) {
                Threads.start("herald-task-watch-" + queue, () -> watchLoop(queue, token));
            }
        }
    }

    /** A worker starts waiting idle: a watcher of its queues may block on Redis again. */
    void workerWaits() {
        if (watchers.isEmpty()) {
            return;
        }
        lock.lock();
        try {
            waiting.signalAll();
        } finally {
            lock.unlock();
        }
    }

    void stop() {
        running = false;
        watchers.clear();
        lock.lock();
        try {
            waiting.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private boolean watching(String queue, Object token) {
        return running && watchers.get(queue) == token;
    }

    private void watchLoop(String queue, Object token) {
        while (watching(queue, token)) {
            try {
                if (!awaitWaitingWorker(queue, token)) {
                    continue;
                }
                if (store.awaitJob(queue, timeoutMillis) && watching(queue, token)) {
                    wakeOne(queue);
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                if (!store.awaitsJobs()) {
                    LOG.info("Redis has no BLMOVE (before 6.2): idle task workers poll every {} ms instead of being"
                            + " woken when a job arrives", timeoutMillis);
                    watchers.clear();
                    return;
                }
                // the store is failing: the workers log it; try again after a poll interval
                LOG.debug("watching queue {} failed: {}", queue, e.toString());
                if (!pause()) {
                    return;
                }
            }
        }
    }

    /**
     * Waits until a worker watching {@code queue} waits idle (then a job arriving there has someone to run it), at most
     * a poll interval. @return whether one waits
     */
    private boolean awaitWaitingWorker(String queue, Object token) throws InterruptedException {
        lock.lock();
        try {
            long left = TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
            while (watching(queue, token) && !anyWaiting(queue)) {
                if (left <= 0) {
                    return false;
                }
                left = waiting.awaitNanos(left);
            }
            return watching(queue, token);
        } finally {
            lock.unlock();
        }
    }

    private boolean anyWaiting(String queue) {
        for (Worker worker : workers.get()) {
            if (worker.isWaiting() && worker.watches(queue)) {
                return true;
            }
        }
        return false;
    }

    /** Rings one worker of {@code queue} that waits idle; the others stay asleep until more jobs show. */
    private void wakeOne(String queue) {
        for (Worker worker : workers.get()) {
            if (worker.watches(queue) && worker.wakeIfWaiting()) {
                return;
            }
        }
    }

    /** @return false when interrupted */
    private boolean pause() {
        lock.lock();
        try {
            waiting.await(timeoutMillis, TimeUnit.MILLISECONDS);
            return true;
        } catch (InterruptedException e) {
            return false;
        } finally {
            lock.unlock();
        }
    }
}
