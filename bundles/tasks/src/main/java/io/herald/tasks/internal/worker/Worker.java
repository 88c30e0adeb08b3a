package io.herald.tasks.internal.worker;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;

import io.herald.tasks.internal.engine.JobRunner;
import io.herald.tasks.internal.engine.WorkerCleaner;
import io.herald.tasks.internal.store.ResqueStore;
import io.herald.tasks.internal.wire.JsDate;
import io.herald.tasks.internal.wire.Payloads;
import io.herald.tasks.internal.wire.ResqueSeconds;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One task processor, node-resque's {@code Worker}: registers in {@code workers} as {@code <name>:<queues>}, then loops
 * over its queues in priority order, claiming one job at a time (the job and the "working on" record in one atomic
 * step), performing it, and completing it ({@code stat:*}, the failed queue, the working-on key). The completion of a
 * job and the claim of the next are one script ({@link ResqueStore#completeAndClaim}), so a job costs one round trip to
 * Redis where node-resque spends two (and one more per empty queue it tries first). After a job it starts again from
 * its first queue; when every queue is empty it parks, without a thread, for {@code timeout} ms or until woken (by this
 * node's enqueues and by the pool's {@link QueueWatch}, which sees other clients' jobs arrive). With {@code *} it works
 * every queue, sorted, re-read on each empty cycle. Its ping key is written by the pool every {@code timeout} ms, also while a job runs (node-resque pings on a timer
 * too), so that schedulers tell it from a dead worker.
 *
 * <p>Herald keeps the member {@code <name>:*} for a {@code *} worker instead of re-registering under each list of
 * queues it finds (node-resque re-tracks on every change): the member, and the working-on key derived from it, never
 * move, so a scheduler never sees a live worker half re-registered.
 */
final class Worker implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(Worker.class);
    private static final long ERROR_LOG_EVERY_NANOS = TimeUnit.SECONDS.toNanos(30);
    /** On a thread, stepping. */
    private static final int RUNNING = 0;
    /** On a thread, and woken meanwhile: it claims again instead of parking. */
    private static final int RUNNING_RUNG = 1;
    /** Its queues were empty: no thread until it is woken, or its poll interval has passed. */
    private static final int PARKED = 2;

    private final String name;
    private final List<String> queues;
    private final boolean allQueues;
    private final String workerQueues;
    private final ResqueStore store;
    private final JobRunner runner;
    private final long timeoutMillis;
    private final Runnable onExit;
    private final Runnable onWaiting;
    /** Cuts short the pause after a store error. */
    private final Doorbell doorbell = new Doorbell();
    /** {@link #RUNNING}, {@link #RUNNING_RUNG} or {@link #PARKED}. */
    private final AtomicInteger state = new AtomicInteger(RUNNING);
    /** Counted down once it has left (unregistered or abandoned). */
    private final CountDownLatch left = new CountDownLatch(1);
    /** When a parked worker polls again by itself (the pool's checks resume it), in nanoTime. */
    private volatile long parkedUntil;
    private final ReentrantLock registration = new ReentrantLock();
    private final Object jobState = new Object();

    private volatile boolean stopping;
    private volatile boolean working;
    private volatile boolean idle = true;
    private volatile long idleSince = System.nanoTime();
    private volatile Thread thread;
    private boolean registered;
    private boolean inFlight;
    private boolean completing;
    private boolean abandoned;
    private List<String> polled = List.of();
    /** The end of the job just performed, recorded by the next step (with the claim of the next job). */
    private ResqueStore.Completion ending;
    /** That job's result, for the log line when its end cannot be recorded. */
    private JobRunner.Result endingResult;
    /** The last task storage error met, for the log line of an end that could not be recorded. */
    private String lastError;
    private long lastErrorLog;
    /** The last task storage error while it has not recovered since, for the health entry; {@code null} when fine. */
    private volatile String failing;

    /**
     * @param queues the queues in priority order; {@code *} alone means every queue
     * @param onExit called on the worker's thread once it has left (unregistered or abandoned)
     */
    Worker(String name, List<String> queues, ResqueStore store, JobRunner runner, long timeoutMillis, Runnable onExit) {
        this(name, queues, store, runner, timeoutMillis, onExit, () -> { });
    }

    /** @param onWaiting called each time it starts waiting idle (its queues were empty): the pool's watch is told */
    Worker(String name, List<String> queues, ResqueStore store, JobRunner runner, long timeoutMillis, Runnable onExit,
            Runnable onWaiting) {
        this.onWaiting = onWaiting;
        this.name = name;
        this.queues = List.copyOf(queues);
        this.allQueues = this.queues.contains("*");
        this.workerQueues = allQueues ? "*" : String.join(",", this.queues);
        this.store = store;
        this.runner = runner;
        this.timeoutMillis = timeoutMillis;
        this.onExit = onExit;
    }

    public String name() {
        return name;
    }

    /** The queue part of its {@code workers} member. */
    public String workerQueues() {
        return workerQueues;
    }

    boolean watches(String queue) {
        return allQueues || queues.contains(queue);
    }

    /** Whether it is performing a job now. */
    public boolean isWorking() {
        return working;
    }

    /** Whether its polls have found every queue empty since {@code nanoTime} (at least). */
    boolean idleSince(long nanoTime) {
        return idle && idleSince - nanoTime <= 0;
    }

    boolean isStopping() {
        return stopping;
    }

    /**
     * Registers in {@code workers} and pings. A working-on key under this very name means an earlier process with the
     * same host, pid and number died in a job (a container restarted with the same pid): that job goes to the failed
     * queue first, as a scheduler would have sent it. It must go before the first poll: a worker holding a job gets it
     * back from {@link ResqueStore#completeAndClaim}, so this worker would run the dead one's job again (and keep its
     * {@code run_at}) instead of recording how it ended.
     */
    void register() {
        registration.lock();
        try {
            if (store.workingOn(name, workerQueues) != null) {
                WorkerCleaner.Cleaned cleaned = WorkerCleaner.forceClean(store, name, workerQueues);
                LOG.warn("worker {} was registered with a job in progress by an earlier process that died: {}", name,
                        cleaned.failure() != null ? "its job went to the failed queue" : "cleaned");
            }
            store.registerWorker(name, workerQueues, ResqueSeconds.of(System.currentTimeMillis()));
            registered = true;
            pingLocked();
        } finally {
            registration.unlock();
        }
    }

    /** Writes the ping key ({@code {"time":..,"name":..,"queues":..}}) while registered. */
    void ping() {
        registration.lock();
        try {
            if (registered) {
                pingLocked();
            }
        } finally {
            registration.unlock();
        }
    }

    private void pingLocked() {
        store.ping(name, Payloads.encodePing(ResqueSeconds.of(System.currentTimeMillis()), name, workerQueues));
    }

    void start() {
        thread = Threads.platform("herald-task-worker-" + name, this);
    }

    /** Asks it to stop after the job in hand. */
    void stop() {
        stopping = true;
        wake();
    }

    /** Wakes it if it is parked (or pauses after a store error); when it is stepping, it claims again before parking. */
    void wake() {
        while (true) {
            int current = state.get();
            if (current == PARKED) {
                if (wakeIfWaiting()) {
                    return;
                }
            } else if (current == RUNNING_RUNG || state.compareAndSet(RUNNING, RUNNING_RUNG)) {
                doorbell.ring();
                return;
            }
        }
    }

    /** Whether it is parked now (its queues were empty), not yet woken. */
    boolean isWaiting() {
        return state.get() == PARKED;
    }

    /** Resumes it on a new thread if it is parked. @return whether this call resumed it */
    boolean wakeIfWaiting() {
        if (state.compareAndSet(PARKED, RUNNING)) {
            start();
            return true;
        }
        return false;
    }

    /** Resumes it if it is parked and its poll interval has passed (node-resque's idle poll); the pool calls this. */
    void resumeIfDue(long nanoTime) {
        if (state.get() == PARKED && nanoTime - parkedUntil >= 0) {
            wakeIfWaiting();
        }
    }

    /** Waits for it to leave. @return whether it left */
    boolean join(long millis) throws InterruptedException {
        return left.await(Math.max(1, millis), TimeUnit.MILLISECONDS);
    }

    /**
     * Steps until its queues are empty, then parks: the thread ends, and the worker holds none until it is woken (a job
     * arrived) or its poll interval has passed. So an idle pool holds no thread, and the jobs run on platform threads
     * (measured: a virtual thread doubles the JVM's CPU per job, its every Redis reply a park and an unpark through the
     * scheduler and the poller).
     */
    @Override
    public void run() {
        boolean parked = false;
        try {
            while (true) {
                try {
                    Boolean next = step();
                    if (next == null) {
                        break;
                    }
                    recovered();
                    if (!next && park()) {
                        parked = true;
                        return;
                    }
                } catch (RuntimeException e) {
                    if (stopping) {
                        // stopping: the end of the job in hand is logged below, not retried for ever
                        lastError = e.getMessage();
                        break;
                    }
                    storeFailed(e);
                    lastError = e.getMessage();
                    if (!sleepQuietly()) {
                        break;
                    }
                }
            }
        } finally {
            if (!parked) {
                finish();
            }
        }
    }

    /** @return false when it was woken meanwhile: it claims again at once */
    private boolean park() {
        parkedUntil = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        if (state.compareAndSet(RUNNING, PARKED)) {
            onWaiting.run();
            return true;
        }
        state.set(RUNNING);
        return false;
    }

    /** Logs an end it could not record, and leaves. */
    private void finish() {
        try {
            if (ending != null) {
                // the failure entry itself is not logged: it holds the job's args unfiltered
                LOG.error("worker {}: the end of {} ({}) could not be recorded: {}{}", name,
                        runner.describe(endingResult),
                        ending.failure() == null ? "SUCCEEDED" : "FAILED", lastError,
                        ending.failure() != null ? "; its failure entry was not written" : "");
            }
            leave();
        } finally {
            left.countDown();
        }
    }

    /**
     * One step, one round trip in steady state: the end of the job in hand (if any) and the claim of the next, from
     * the first of its queues with a job ({@link ResqueStore#completeAndClaim}), then that job performed. When stopping
     * it only records the end.
     *
     * @return true after a job, false when every queue was empty (time to park), {@code null} when the worker is done
     *     (stopping, nothing in hand, or its job abandoned)
     */
    private Boolean step() {
        boolean stop = stopping;
        ResqueStore.Claim claim = store.completeAndClaim(name, workerQueues, ending, stop ? List.of() : queuesToPoll(),
                JsDate.now());
        ending = null;
        endingResult = null;
        if (claim.job() == null) {
            if (stop) {
                return null;
            }
            if (allQueues) {
                polled = null; // node-resque re-reads the queues after an empty cycle
            }
            if (!idle) {
                idleSince = System.nanoTime();
                idle = true;
            }
            return false;
        }
        // a job comes back while stopping only when the claim of an earlier step ran and its reply was lost: it was
        // taken for this worker, which performs it as the job in hand
        idle = false;
        String queue = claim.queue() != null ? claim.queue() : firstQueue();
        JobRunner.Result result = perform(queue, claim.job());
        if (result == null) {
            return null; // abandoned at the stop bound: cleaned as a dead worker's job
        }
        switch (result.outcome()) {
            case SUCCEEDED -> end(result, new ResqueStore.Completion(null, claim.ended()));
            case FAILED -> end(result, new ResqueStore.Completion(result.failure(), claim.ended()));
            case SKIPPED -> release(result);
        }
        return true;
    }

    private void end(JobRunner.Result result, ResqueStore.Completion completion) {
        ending = completion;
        endingResult = result;
    }

    /**
     * A skipped job neither counts as processed nor failed, so the count of ended jobs cannot tell a second release
     * from the first: released on its own (idempotent: no held job, nothing done), before the next claim.
     */
    private void release(JobRunner.Result result) {
        while (true) {
            try {
                store.releaseJob(name, workerQueues);
                return;
            } catch (RuntimeException e) {
                if (stopping) {
                    LOG.error("worker {}: the end of {} (SKIPPED) could not be recorded: {}", name,
                            runner.describe(result), e.getMessage());
                    return;
                }
                storeFailed(e);
                if (!sleepQuietly()) {
                    return;
                }
            }
        }
    }

    /** The queue of a held job whose record names none (not one Herald or node-resque wrote). */
    private String firstQueue() {
        List<String> candidates = queuesToPoll();
        return candidates.isEmpty() ? "*" : candidates.get(0);
    }

    private List<String> queuesToPoll() {
        if (!allQueues) {
            return queues;
        }
        if (polled == null || polled.isEmpty()) {
            List<String> all = new ArrayList<>(store.queues());
            all.sort(null);
            polled = all;
        }
        return polled;
    }

    /** @return the job's result, or {@code null} when the job was abandoned meanwhile */
    private JobRunner.Result perform(String queue, String raw) {
        synchronized (jobState) {
            inFlight = true;
            completing = false;
        }
        working = true;
        try {
            JobRunner.Result result = runner.perform(queue, raw, name);
            synchronized (jobState) {
                if (abandoned) {
                    return null;
                }
                completing = true;
            }
            return result;
        } finally {
            working = false;
            synchronized (jobState) {
                inFlight = false;
            }
        }
    }

    /**
     * After the pool's stop bound: gives up the job in hand. The job goes to the failed queue the way a scheduler would
     * have sent it had this process died (so {@code retryStuckJobs} retries it), and whatever the task does afterwards
     * is not recorded.
     *
     * @return whether a job was abandoned
     */
    boolean abandon() {
        synchronized (jobState) {
            if (!inFlight || completing || abandoned) {
                return false;
            }
            abandoned = true;
        }
        Thread t = thread;
        if (t != null) {
            t.interrupt();
        }
        registration.lock();
        try {
            registered = false;
            WorkerCleaner.forceClean(store, name, workerQueues);
        } catch (RuntimeException e) {
            LOG.error("worker {}: its unfinished job could not be moved to the failed queue: {}", name, e.getMessage());
        } finally {
            registration.unlock();
        }
        return true;
    }

    private void leave() {
        registration.lock();
        try {
            if (registered) {
                registered = false;
                store.unregisterWorker(name, workerQueues);
            }
        } catch (RuntimeException e) {
            LOG.error("worker {} could not unregister: {} (a scheduler removes it once its ping is old)", name,
                    e.getMessage());
        } finally {
            registration.unlock();
            onExit.run();
        }
    }

    /** The task storage error it keeps meeting, or {@code null} when its last store operation worked. */
    String failing() {
        return failing;
    }

    private void storeFailed(RuntimeException e) {
        long now = System.nanoTime();
        if (failing == null || now - lastErrorLog >= ERROR_LOG_EVERY_NANOS) {
            LOG.warn("worker {}: task storage error, retrying every {} ms: {}", name, timeoutMillis, e.toString());
            lastErrorLog = now;
        }
        failing = String.valueOf(e.getMessage());
    }

    private void recovered() {
        if (failing != null) {
            failing = null;
            LOG.info("worker {}: task storage reachable again", name);
        }
    }

    /** @return false when interrupted */
    private boolean sleepQuietly() {
        try {
            doorbell.await(timeoutMillis);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Override
    public String toString() {
        return name + ":" + workerQueues;
    }
}
