package io.herald.tasks.internal.scheduler;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import io.herald.api.task.Job;
import io.herald.tasks.internal.engine.DelayedTransfer;
import io.herald.tasks.internal.engine.HostName;
import io.herald.tasks.internal.engine.RegisteredTask;
import io.herald.tasks.internal.engine.ResqueTaskQueue;
import io.herald.tasks.internal.engine.TaskRegistry;
import io.herald.tasks.internal.engine.WorkerCleaner;
import io.herald.tasks.internal.store.ResqueStore;
import io.herald.tasks.internal.store.StoreUnavailableException;
import io.herald.tasks.internal.wire.JsDate;
import io.herald.tasks.internal.wire.JsJson;
import io.herald.tasks.internal.wire.Payloads;
import io.herald.tasks.internal.wire.Ping;
import io.herald.tasks.internal.wire.ResqueSeconds;
import io.herald.tasks.internal.wire.WireFormatException;
import io.herald.tasks.internal.wire.WorkerMember;
import io.herald.tasks.internal.worker.Threads;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * node-resque's {@code Scheduler}, on a thread of its own, every {@code timeout} ms:
 *
 * <ol>
 *   <li><b>Leader election</b> on {@code resque_scheduler_leader_lock} ({@link ResqueStore#tryForLeader}: SET NX EX,
 *       renewed by its holder each cycle). Only the leader does the rest. A lock left by a scheduler process of this
 *       very host that no longer exists ({@code host:pid}, the pid gone) is released at once rather than after its
 *       {@code leaderLockTimeout}: a restarted node schedules again within one cycle.</li>
 *   <li><b>Delayed jobs</b>: every due second, every job, moved with {@code beforeEnqueue} hooks then
 *       {@link ResqueStore#transferDelayed} (one atomic step: a scheduler dying half-way loses nothing, where node-resque
 *       pops first and loses the job), then {@code afterEnqueue}. A job a hook declines is dropped, as node-resque drops
 *       it.</li>
 *   <li><b>Stuck workers</b>: a worker whose ping is older than {@code stuckWorkerTimeout}, and a worker that never
 *       pings (Ruby Resque, Jesque) whose job started longer ago than {@code silentWorkerTimeout} ({@code run_at}),
 *       is removed with
 *       node-resque's {@code forceCleanWorker} payload; with {@code retryStuckJobs} its job is enqueued again.</li>
 *   <li><b>Recurring tasks</b>: enqueued when the scheduler starts (Actionhero), and checked by a new leader
 *       ({@link RecurringTasks}).</li>
 * </ol>
 */
public final class Scheduler {

    private static final Logger LOG = LoggerFactory.getLogger(Scheduler.class);
    private static final long ERROR_LOG_EVERY_NANOS = TimeUnit.SECONDS.toNanos(30);

    /**
     * @param name the scheduler's name in the leader lock ({@code host:pid}, as node-resque)
     * @param stuckWorkerTimeoutMillis how old a worker's ping may be; 0 or less: no check of pinging workers
     * @param silentWorkerTimeoutMillis how long the job of a worker that never pings (Ruby Resque, Jesque) may run; 0
     *     or less: no check of such workers
     */
    public record Settings(String name, long timeoutMillis, int leaderLockTimeoutSeconds, long stuckWorkerTimeoutMillis,
            long silentWorkerTimeoutMillis, boolean retryStuckJobs) {

        public Settings {
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException("the scheduler needs a name");
            }
            if (timeoutMillis <= 0 || leaderLockTimeoutSeconds <= 0) {
                throw new IllegalArgumentException("timeout and leaderLockTimeout must be positive");
            }
        }

        /** {@code host:pid}, node-resque's default scheduler name. */
        public static String defaultName() {
            return HostName.get() + ":" + HostName.pid();
        }
    }

    private final Settings settings;
    private final ResqueTaskQueue tasks;
    private final TaskRegistry registry;
    private final Set<String> addedTasks = ConcurrentHashMap.newKeySet();
    private final Consumer<RegisteredTask> taskListener = task -> {
        if (task.recurring()) {
            addedTasks.add(task.name());
            wake();
        }
    };
    /** Wakes the scheduler between cycles; a semaphore, so a virtual thread waiting on it pins no carrier. */
    private final Semaphore wakeups = new Semaphore(0);
    private volatile boolean running;
    /** Set by {@link #stop()}: a cycle in progress ends early. */
    private volatile boolean stopRequested;
    private volatile boolean leader;
    private volatile Thread thread;
    private boolean started;
    /** The error its cycles keep failing with, for the health entry; {@code null} when the last cycle worked. */
    private volatile String failing;
    private long lastErrorLog;

    public Scheduler(Settings settings, ResqueTaskQueue tasks) {
        this.settings = settings;
        this.tasks = tasks;
        this.registry = tasks.registry();
    }

    public synchronized void start() {
        if (running) {
            return;
        }
        running = true;
        stopRequested = false;
        registry.onTaskAdded(taskListener);
        // a platform thread: code on the node's virtual threads that never blocks (CPU-bound, or pinned) could starve a
        // virtual one, and a leader that stops renewing its lock hands the schedule to another node
        thread = Threads.platform("herald-task-scheduler", this::loop);
        LOG.info("task scheduler {} started (poll {} ms, leader lock {} s, stuck workers after {} ms without a ping or"
                + " {} ms in a job without pinging{})", settings.name(), settings.timeoutMillis(),
                settings.leaderLockTimeoutSeconds(), settings.stuckWorkerTimeoutMillis(),
                settings.silentWorkerTimeoutMillis(), settings.retryStuckJobs() ? ", retried" : "");
    }

    /** Stops after the cycle in progress and gives up the leader lock if it holds it. */
    public void stop() {
        Thread t;
        boolean wasRunning;
        synchronized (this) {
            wasRunning = running;
            running = false;
            stopRequested = true;
            t = thread;
            thread = null;
        }
        registry.removeTaskListener(taskListener);
        wake();
        try {
            if (t != null) {
                t.join(TimeUnit.SECONDS.toMillis(30));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            tasks.store().releaseLeader(settings.name());
        } catch (RuntimeException e) {
            LOG.warn("scheduler {} could not release the leader lock (it expires within {} s): {}", settings.name(),
                    settings.leaderLockTimeoutSeconds(), e.getMessage());
        }
        leader = false;
        if (wasRunning) {
            LOG.info("task scheduler {} stopped", settings.name());
        }
    }

    /**
     * What keeps it from doing its job, for the health entry: stopped, its thread ended, or its cycles failing (the
     * leader lock or the store unreachable); {@code null} when it works.
     */
    public String problem() {
        Thread t = thread;
        if (!running) {
            return "the scheduler is stopped";
        }
        if (t != null && !t.isAlive()) {
            return "the scheduler's thread has ended";
        }
        String error = failing;
        return error == null ? null : "the scheduler's cycles fail (leader lock, delayed jobs): " + error;
    }

    /** Whether it held the leader lock at its last cycle. */
    public boolean isLeader() {
        return leader;
    }

    public String name() {
        return settings.name();
    }

    public boolean isRunning() {
        return running;
    }

    private void wake() {
        if (wakeups.availablePermits() == 0) {
            wakeups.release();
        }
    }

    private void loop() {
        while (running) {
            try {
                cycle();
                if (failing != null) {
                    failing = null;
                    LOG.info("scheduler {}: task storage reachable again", settings.name());
                }
            } catch (RuntimeException e) {
                long now = System.nanoTime();
                if (failing == null || now - lastErrorLog >= ERROR_LOG_EVERY_NANOS) {
                    LOG.warn("scheduler {}: cycle failed, retrying every {} ms: {}", settings.name(),
                            settings.timeoutMillis(), e.toString(), e instanceof StoreUnavailableException ? null : e);
                    lastErrorLog = now;
                }
                failing = String.valueOf(e.getMessage());
            }
            try {
                if (running && wakeups.tryAcquire(settings.timeoutMillis(), TimeUnit.MILLISECONDS)) {
                    wakeups.drainPermits();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** One cycle; package-visible so tests can drive the scheduler step by step. */
    void cycle() {
        ResqueStore store = tasks.store();
        boolean wasLeader = leader;
        leader = electLeader(store);
        if (leader != wasLeader) {
            LOG.info(leader ? "scheduler {} is now the leader" : "scheduler {} is no longer the leader", settings.name());
        }
        if (!started) {
            // Actionhero enqueues the recurring tasks when a scheduler starts; the leader also checks their locks
            addedTasks.clear();
            for (RegisteredTask task : registry.tasks()) {
                if (task.recurring() && !stopRequested) {
                    recurring(task);
                }
            }
            started = true;
        } else if (leader && !wasLeader) {
            registry.tasks().stream().filter(RegisteredTask::recurring).forEach(this::recurring);
        }
        for (String name : List.copyOf(addedTasks)) {
            addedTasks.remove(name);
            RegisteredTask task = registry.task(name);
            if (task != null && task.recurring()) {
                recurring(task);
            }
        }
        if (leader) {
            moveDueJobs(store);
            checkStuckWorkers(store);
        }
    }

    private void recurring(RegisteredTask task) {
        if (leader) {
            RecurringTasks.ensure(tasks, task);
        } else {
            RecurringTasks.enqueue(tasks, task);
        }
    }

    private boolean electLeader(ResqueStore store) {
        if (store.tryForLeader(settings.name(), settings.leaderLockTimeoutSeconds())) {
            return true;
        }
        String holder = store.leader();
        if (heldByDeadLocalProcess(holder)) {
            LOG.info("scheduler {}: the leader lock is held by {}, a process of this host that no longer runs: taking over",
                    settings.name(), holder);
            store.releaseLeader(holder);
            return store.tryForLeader(settings.name(), settings.leaderLockTimeoutSeconds());
        }
        return false;
    }

    /**
     * Whether {@code holder} names a scheduler of this host ({@code host:pid} or {@code host:pid+N}) whose process is
     * gone. Only this host's processes can be checked; a pid of this very JVM always counts as alive.
     */
    private static boolean heldByDeadLocalProcess(String holder) {
        OptionalLong pid = HostName.localPid(holder);
        return pid.isPresent() && pid.getAsLong() > 0 && pid.getAsLong() != HostName.pid()
                && !HostName.alive(pid.getAsLong());
    }

    // ---------------------------------------------------------------------------------------------- delayed jobs

    private void moveDueJobs(ResqueStore store) {
        long now = ResqueSeconds.of(System.currentTimeMillis());
        Long timestamp;
        while (!stopRequested && (timestamp = store.nextDueTimestamp(now)) != null) {
            String raw = store.peekDelayed(timestamp);
            if (raw == null) {
                store.cleanupTimestamp(timestamp);
                continue;
            }
            move(store, timestamp, raw);
        }
    }

    private void move(ResqueStore store, long timestamp, String raw) {
        Job job = readDelayed(raw);
        if (job == null) {
            // node-resque would throw on it and stall this second forever; a worker fails it with a clear error
            // the unreadable payload is not logged: its args cannot be filtered
            LOG.error("delayed job at {} is not a readable job ({} characters), moved to queue default where a worker"
                    + " fails it", timestamp, raw.length());
            if (store.transferDelayed(timestamp, raw, "default")) {
                tasks.jobArrived("default");
            }
            return;
        }
        DelayedTransfer.move(tasks, store, timestamp, job, raw);
    }

    /** The job, with the task's queue when the payload has none (resque-scheduler jobs may not); null if unreadable. */
    private Job readDelayed(String raw) {
        try {
            return Payloads.decodeJob(raw, null);
        } catch (WireFormatException e) {
            try {
                Object parsed = JsJson.parse(raw);
                if (parsed instanceof Map<?, ?> fields && fields.get("class") instanceof String name) {
                    RegisteredTask task = registry.task(name);
                    return Payloads.decodeJob(raw, task != null ? task.queue() : "default");
                }
            } catch (WireFormatException unreadable) {
                // not JSON at all
            }
            return null;
        }
    }

    // ---------------------------------------------------------------------------------------------- stuck workers

    private void checkStuckWorkers(ResqueStore store) {
        long timeout = settings.stuckWorkerTimeoutMillis();
        long silentTimeout = settings.silentWorkerTimeoutMillis();
        if (timeout <= 0 && silentTimeout <= 0) {
            return;
        }
        long now = System.currentTimeMillis();
        Map<String, List<String>> queuesByWorker = new HashMap<>();
        for (String member : store.workers()) {
            WorkerMember parsed = WorkerMember.parse(member);
            queuesByWorker.computeIfAbsent(parsed.worker(), w -> new ArrayList<>())
                    .add(parsed.queues() == null ? "" : parsed.queues());
        }
        Map<String, String> pings = store.pings();
        for (Map.Entry<String, String> entry : timeout > 0 ? pings.entrySet() : Set.<Map.Entry<String, String>>of()) {
            Ping ping;
            try {
                ping = Payloads.decodePing(entry.getValue());
            } catch (WireFormatException e) {
                LOG.debug("unreadable ping of {}: {}", entry.getKey(), e.getMessage());
                continue;
            }
            // node-resque: nowInSeconds - payload.time > stuckWorkerTimeout / 1000
            long age = ResqueSeconds.of(now) - ping.time();
            if (age * 1000 > timeout) {
                List<String> queues = queuesByWorker.getOrDefault(entry.getKey(),
                        List.of(ping.queues() == null ? "" : ping.queues()));
                for (String q : queues) {
                    clean(entry.getKey(), q, "its last ping was " + age + " s ago; stuckWorkerTimeout "
                            + timeout + " ms");
                }
            }
        }
        if (silentTimeout <= 0) {
            return;
        }
        // workers that never ping (Ruby Resque, Jesque) give no sign of life: only their job's age can be judged, by a
        // limit of its own, since a long job of a live worker is no sign of death
        for (Map.Entry<String, List<String>> entry : queuesByWorker.entrySet()) {
            if (pings.containsKey(entry.getKey())) {
                continue;
            }
            for (String q : entry.getValue()) {
                String raw = store.workingOn(entry.getKey(), q);
                if (raw == null) {
                    continue;
                }
                long startedAt;
                try {
                    startedAt = JsDate.parse(Payloads.decodeWorkingOn(raw).runAt()).map(i -> i.toEpochMilli()).orElse(now);
                } catch (WireFormatException e) {
                    continue;
                }
                if (now - startedAt > silentTimeout) {
                    clean(entry.getKey(), q, "it never pings and its job started " + (now - startedAt) / 1000
                            + " s ago; silentWorkerTimeout " + silentTimeout + " ms");
                }
            }
        }
    }

    private void clean(String worker, String queues, String why) {
        DeadWorkers.Outcome outcome = DeadWorkers.remove(tasks, worker, queues, settings.retryStuckJobs());
        LOG.warn("scheduler {}: worker {} looks dead ({}) and was removed; {}", settings.name(), worker, why, outcome);
    }
}
