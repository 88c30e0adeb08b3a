package io.herald.api.task;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Enqueues and inspects background work: Actionhero's {@code task} module as a service, for actions, tasks and
 * middleware. Implemented by Herald's task processor over Redis (node-resque's layout) or, on the embedded default,
 * in the node.
 *
 * <p>Params are validated against the task's inputs when a job is enqueued; a job's payload is
 * {@code {"class":<task>,"queue":<queue>,"args":[<params>]}} byte for byte as node-resque writes it, which is how
 * {@link #del}, {@link #delDelayed} and {@link #scheduledAt} find jobs. Delayed jobs are scheduled with second
 * resolution, as resque-scheduler does. Methods throw {@link TaskException} when the task is unknown, the params are
 * invalid or the storage is unavailable.
 *
 * @since 1.0
 */
@ProviderType
public interface TaskQueue {

    /**
     * Enqueues a job of {@code task} on the task's own queue.
     *
     * @return false when a plugin or middleware declined the job (e.g. {@code QueueLock}: the same job is queued)
     */
    default boolean enqueue(String task, Map<String, ?> params) {
        return enqueue(task, params, null);
    }

    /** Enqueues a job of {@code task} on {@code queue} ({@code null}: the task's own queue). */
    boolean enqueue(String task, Map<String, ?> params, String queue);

    /**
     * Enqueues one job of {@code task} per element of {@code params}, in that order, on {@code queue} ({@code null}:
     * the task's own queue): as many {@link #enqueue} calls, written together (over Redis, one round trip per thousand
     * jobs instead of one per job). Every job's params are validated before anything is written (one invalid refuses
     * the batch), its enqueue hooks run as for {@link #enqueue}, and the jobs a hook declined are left out.
     *
     * @return how many jobs were enqueued
     * @since 1.2
     */
    int enqueueAll(String task, List<? extends Map<String, ?>> params, String queue);

    /**
     * Schedules a job to be enqueued at {@code at} (by the cluster's scheduler).
     *
     * @param suppressDuplicate when the same job is already scheduled at that second: true returns false, false
     *     throws {@link TaskException} with {@link TaskException.Reason#DUPLICATE}
     * @return whether the job was scheduled
     */
    boolean enqueueAt(Instant at, String task, Map<String, ?> params, String queue, boolean suppressDuplicate);

    default boolean enqueueAt(Instant at, String task, Map<String, ?> params) {
        return enqueueAt(at, task, params, null, false);
    }

    /** Schedules a job to be enqueued after {@code delay}. */
    default boolean enqueueIn(Duration delay, String task, Map<String, ?> params, String queue,
            boolean suppressDuplicate) {
        return enqueueAt(Instant.now().plus(delay), task, params, queue, suppressDuplicate);
    }

    default boolean enqueueIn(Duration delay, String task, Map<String, ?> params) {
        return enqueueIn(delay, task, params, null, false);
    }

    /** Removes every queued job of {@code task} with exactly these params from {@code queue}; returns how many. */
    long del(String queue, String task, Map<String, ?> params);

    /** Removes the delayed jobs of {@code task} with exactly these params; returns the times they were due. */
    List<Instant> delDelayed(String queue, String task, Map<String, ?> params);

    /** When the delayed jobs of {@code task} with exactly these params are due. */
    List<Instant> scheduledAt(String queue, String task, Map<String, ?> params);

    /** Stops a recurring task: removes its queued and delayed jobs; returns how many were removed. */
    long stopRecurrentTask(String task);

    /** The jobs in {@code queue} from {@code start} to {@code stop} (inclusive, negative counts from the end). */
    List<Job> queued(String queue, long start, long stop);

    /** Deletes a queue and its jobs. */
    void delQueue(String queue);

    /** The names of the known queues. */
    List<String> queues();

    /** The length of {@code queue}. */
    long length(String queue);

    /** The times at which delayed jobs are due, earliest first. */
    List<Instant> timestamps();

    /** The delayed jobs due at {@code at} (second resolution). */
    List<Job> delayedAt(Instant at);

    /** Every delayed job by the time it is due. */
    Map<Instant, List<Job>> allDelayed();

    /**
     * Moves one delayed job to its queue now, as the scheduler moves a due one: its enqueue hooks run (one may decline
     * it, and the job is then dropped, as node-resque's scheduler drops it), and the job leaves the delayed list and
     * enters its queue in one step. ah-resque-ui's "run now" ({@code resque:runDelayed}) removes the job, then enqueues
     * it, and loses it when the enqueue fails.
     *
     * @param at the second the job is delayed to, as {@link #timestamps()} lists it
     * @param job the job as {@link #delayedAt} lists it
     * @return false when that job is not delayed to that second (any more), or a hook declined it
     * @since 1.1
     */
    boolean runDelayed(Instant at, Job job);

    /**
     * The recurring tasks registered on this node, by name, with when their next run is due.
     *
     * @since 1.1
     */
    List<RecurringTask> recurringTasks();

    /** The Resque counters: {@code processed}, {@code failed}, {@code processed:<worker>}, {@code failed:<worker>}. */
    Map<String, Long> stats();

    /** The plugins' locks ({@code lock:*}, {@code workerslock:*}, without the namespace) with their values. */
    Map<String, String> locks();

    /** Deletes one lock, named as {@link #locks()} lists it; returns whether it existed. */
    boolean delLock(String key);

    /** Every registered worker and what it works on. */
    List<WorkerStatus> workers();

    /**
     * What one worker works on (Actionhero's {@code workingOn(workerName, queues)}), from its working-on record;
     * {@link WorkerStatus#isWorking()} is false when it is idle or unknown.
     *
     * @param queues the worker's queues as it registered them ({@link WorkerStatus#queues()}), e.g. {@code *}
     */
    WorkerStatus workingOn(String worker, String queues);

    /** The length of the failed queue. */
    long failedCount();

    /** Failed jobs from {@code start} to {@code stop} (inclusive, negative counts from the end). */
    List<FailedJob> failed(long start, long stop);

    /** Removes one failed job; returns whether it was there. */
    boolean removeFailed(FailedJob job);

    /** Enqueues a failed job's payload again and removes it from the failed queue, in one step. */
    boolean retryAndRemoveFailed(FailedJob job);

    /**
     * Removes workers that have worked on one job for longer than {@code age} (their process is presumed dead) and
     * moves their jobs to the failed queue, as node-resque's {@code cleanOldWorkers}. Returns the names removed.
     */
    List<String> cleanOldWorkers(Duration age);

    /**
     * Removes one registered worker presumed dead, as node-resque's {@code forceCleanWorker}: the job it holds goes to
     * the failed queue ({@code Worker Timeout (killed manually)}), and its registration, ping and working-on keys go.
     * Meant for a worker whose process is gone, as node-resque's is: it does not stop a live worker.
     *
     * @param worker the worker's name, as {@link WorkerStatus#worker()} gives it
     * @return the worker as it was found (its job, if it had one, is now in the failed queue), or {@code null} when no
     *     worker of that name is registered
     * @since 1.1
     */
    WorkerStatus forceCleanWorker(String worker);

    /** A snapshot of queues, workers, stats and the scheduler leader. */
    QueueDetails details();
}
