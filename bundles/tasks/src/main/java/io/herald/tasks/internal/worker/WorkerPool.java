package io.herald.tasks.internal.worker;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.herald.tasks.internal.engine.HostName;
import io.herald.tasks.internal.engine.JobRunner;
import io.herald.tasks.internal.store.ResqueStore;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's task processors, node-resque's {@code MultiWorker} without its event-loop measurement: between
 * {@code minTaskProcessors} and {@code maxTaskProcessors} workers named {@code host:pid+N}. Every {@code checkTimeout}
 * ms it pings its workers when due and resizes: below the minimum it starts workers; while jobs wait in its queues and
 * every worker is busy it starts one more (up to the maximum), and wakes sleeping ones when some are idle; when nothing
 * waits it stops one worker that has found its queues empty for a whole poll interval (down to the minimum).
 *
 * <p>Stopping is graceful: workers take no new job, jobs in hand may finish within the shutdown bound, then each worker
 * unregisters. A job still running at the bound is abandoned to the failed queue, as if its worker had died, so a
 * scheduler with {@code retryStuckJobs} runs it again; it is never left claimed.
 */
public final class WorkerPool {

    private static final Logger LOG = LoggerFactory.getLogger(WorkerPool.class);
    /** node-resque numbers a MultiWorker's children from 1; shared by every pool in the JVM so names never repeat. */
    private static final AtomicInteger NEXT_ID = new AtomicInteger(1);
    /**
     * The workers of every pool in this JVM, from just before they register until they have left: a worker named with
     * this process's pid that is not here is a previous incarnation's (a container restarted with the same pid).
     */
    private static final Set<String> RUNNING_HERE = ConcurrentHashMap.newKeySet();

    /**
     * @param queues the queues in priority order, or {@code *}
     * @param timeoutMillis poll interval of an idle worker, and ping interval
     * @param checkMillis how often the pool pings and resizes
     * @param shutdownMillis how long jobs in flight may take to finish when the pool stops
     */
    public record Settings(int minWorkers, int maxWorkers, List<String> queues, long timeoutMillis, long checkMillis,
            long shutdownMillis) {

        public Settings {
            queues = List.copyOf(queues);
            if (minWorkers < 0 || maxWorkers < 0) {
                throw new IllegalArgumentException("minTaskProcessors and maxTaskProcessors must be 0 or more");
            }
            if (minWorkers > maxWorkers) {
                throw new IllegalArgumentException("minTaskProcessors (" + minWorkers
                        + ") must not exceed maxTaskProcessors (" + maxWorkers + ")");
            }
            if (queues.isEmpty()) {
                throw new IllegalArgumentException("queues must name at least one queue, or *");
            }
            if (timeoutMillis <= 0 || checkMillis <= 0 || shutdownMillis < 0) {
                throw new IllegalArgumentException("timeout and checkTimeout must be positive, shutdownTimeout 0 or more");
            }
        }
    }

    private final Settings settings;
    private final ResqueStore store;
    private final JobRunner runner;
    private final List<Worker> workers = new CopyOnWriteArrayList<>();
    /** Wakes the check loop (on stop); a semaphore, so a virtual thread waiting on it pins no carrier. */
    private final Semaphore checks = new Semaphore(0);
    private final QueueWatch watch;
    private volatile boolean running;
    private volatile Thread checker;
    private long lastPing;

    public WorkerPool(Settings settings, ResqueStore store, JobRunner runner) {
        this.settings = settings;
        this.store = store;
        this.runner = runner;
        this.watch = new QueueWatch(store, settings.timeoutMillis(), () -> workers);
    }

    /** Starts the minimum number of workers (registered before this returns) and the pool's checks. */
    public synchronized void start() {
        if (running || settings.maxWorkers() == 0) {
            return;
        }
        running = true;
        for (int i = 0; i < settings.minWorkers(); i++) {
            startWorker();
        }
        if (!settings.queues().contains("*")) {
            watch.watch(settings.queues());
        }
        lastPing = System.nanoTime();
        // the checks ping every worker, busy ones too: on a platform thread, so that code holding every carrier of the
        // node's virtual threads cannot stop the pings and get a live worker removed as dead (Threads.platform)
        checker = Threads.platform("herald-task-pool", this::checkLoop);
        LOG.info("task processors started: {} to {} workers on {} (poll {} ms; jobs on platform threads, given back"
                + " while the queues are empty; queue watchers on {} threads)", settings.minWorkers(),
                settings.maxWorkers(), String.join(",", settings.queues()), settings.timeoutMillis(),
                Threads.virtual() ? "virtual" : "platform");
    }

    /** Stops the workers gracefully, waiting up to the shutdown bound for jobs in flight. */
    public void stop() {
        Thread check;
        synchronized (this) {
            if (!running) {
                return;
            }
            running = false;
            check = checker;
        }
        checks.release();
        watch.stop();
        List<Worker> stopping = new ArrayList<>(workers);
        stopping.forEach(Worker::stop);
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(settings.shutdownMillis());
        try {
            if (check != null) {
                check.join(1000);
            }
            for (Worker worker : stopping) {
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (!worker.join(Math.max(left, 1)) && worker.abandon()) {
                    LOG.warn("worker {}: its job did not finish within shutdownTimeout ({} ms) and went to the failed"
                            + " queue", worker.name(), settings.shutdownMillis());
                }
            }
            for (Worker worker : stopping) {
                worker.join(1000);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        LOG.info("task processors stopped");
    }

    /** This node enqueued a job on {@code queue}: wakes one idle worker that works it. */
    public void jobArrived(String queue) {
        for (Worker worker : workers) {
            if (!worker.isWorking() && !worker.isStopping() && worker.watches(queue)) {
                worker.wake();
                return;
            }
        }
    }

    /** How many workers run now (stopping ones excluded). */
    public int size() {
        int count = 0;
        for (Worker worker : workers) {
            if (!worker.isStopping()) {
                count++;
            }
        }
        return count;
    }

    /** How many workers perform a job now. */
    public int busy() {
        int count = 0;
        for (Worker worker : workers) {
            if (worker.isWorking()) {
                count++;
            }
        }
        return count;
    }

    /**
     * What keeps the pool from doing its job, for the health entry: stopped, its checks (pings, resizing) ended, fewer
     * workers registered than the minimum, or workers failing to reach the task store; {@code null} when it works.
     */
    public String problem() {
        if (!running) {
            return "the task processors are stopped";
        }
        Thread check = checker;
        if (check != null && !check.isAlive()) {
            return "the task pool's checks (pings, resizing) have ended";
        }
        int size = size();
        if (size < settings.minWorkers()) {
            return size + " of at least " + settings.minWorkers() + " task processors could register";
        }
        int failing = 0;
        String error = null;
        for (Worker worker : workers) {
            String e = worker.failing();
            if (e != null) {
                failing++;
                error = e;
            }
        }
        return failing == 0 ? null : failing + " of " + size + " task processors fail to reach the task store: " + error;
    }

    /** The names of the running workers. */
    public List<String> workerNames() {
        return workers.stream().filter(w -> !w.isStopping()).map(Worker::name).toList();
    }

    public Settings settings() {
        return settings;
    }

    public boolean isRunning() {
        return running;
    }

    private void checkLoop() {
        while (running) {
            try {
                if (checks.tryAcquire(settings.checkMillis(), TimeUnit.MILLISECONDS) || !running) {
                    return;
                }
                pingIfDue();
                resumeDue();
                resize();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                // the store is failing: the workers log it; the pool tries again at its next check
                LOG.debug("task pool check failed: {}", e.toString());
            }
        }
    }

    private void pingIfDue() {
        long now = System.nanoTime();
        if (now - lastPing < TimeUnit.MILLISECONDS.toNanos(settings.timeoutMillis())) {
            return;
        }
        lastPing = now;
        for (Worker worker : workers) {
            try {
                worker.ping();
            } catch (RuntimeException e) {
                LOG.debug("worker {}: ping failed: {}", worker.name(), e.toString());
            }
        }
    }

    /** Parked workers whose poll interval has passed look at their queues again, as node-resque's idle workers do. */
    private void resumeDue() {
        long now = System.nanoTime();
        for (Worker worker : workers) {
            worker.resumeIfDue(now);
        }
    }

    private synchronized void resize() {
        if (!running) {
            return;
        }
        int size = size();
        if (size < settings.minWorkers()) {
            for (int i = size; i < settings.minWorkers(); i++) {
                startWorker();
            }
            return;
        }
        long waiting = waitingJobs();
        int busy = busy();
        if (waiting > 0) {
            if (busy >= size && size < settings.maxWorkers()) {
                startWorker();
            } else {
                workers.stream().filter(w -> !w.isWorking()).forEach(Worker::wake);
            }
            return;
        }
        if (size > settings.minWorkers()) {
            long idleBefore = System.nanoTime() - TimeUnit.MILLISECONDS.toNanos(settings.timeoutMillis());
            for (Worker worker : workers) {
                if (!worker.isStopping() && !worker.isWorking() && worker.idleSince(idleBefore)) {
                    LOG.debug("task pool shrinks: worker {} found no work for {} ms", worker.name(),
                            settings.timeoutMillis());
                    worker.stop();
                    return;
                }
            }
        }
    }

    /** Jobs waiting in the pool's queues ({@code *}: every queue). */
    private long waitingJobs() {
        List<String> queues = settings.queues();
        if (queues.contains("*")) {
            queues = new ArrayList<>(store.queues());
            queues.sort(null);
            watch.watch(queues); // the queues a * pool works change as clients create them
        }
        long waiting = 0;
        for (String queue : queues) {
            waiting += store.length(queue);
            if (waiting > 0) {
                return waiting;
            }
        }
        return waiting;
    }

    /** Whether {@code workerName} is a worker of a pool of this JVM that has not left yet. */
    public static boolean runsHere(String workerName) {
        return RUNNING_HERE.contains(workerName);
    }

    private void startWorker() {
        String name = HostName.get() + ":" + HostName.pid() + "+" + NEXT_ID.getAndIncrement();
        Worker[] self = new Worker[1];
        Worker worker = new Worker(name, settings.queues(), store, runner, settings.timeoutMillis(), () -> {
            workers.remove(self[0]);
            RUNNING_HERE.remove(name);
        }, watch::workerWaits);
        self[0] = worker;
        RUNNING_HERE.add(name);
        try {
            worker.register();
        } catch (RuntimeException e) {
            RUNNING_HERE.remove(name);
            LOG.warn("worker {} could not register, the pool tries again at its next check: {}", name, e.toString());
            return;
        }
        workers.add(worker);
        worker.start();
        LOG.debug("worker {} started on {}", name, worker.workerQueues());
    }
}
