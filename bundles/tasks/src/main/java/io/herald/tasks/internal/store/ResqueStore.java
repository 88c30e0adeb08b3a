package io.herald.tasks.internal.store;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Where jobs, workers, stats and locks live, in Resque / node-resque terms (node-resque's {@code src/core/queue.ts}).
 * Two implementations pass the same contract ({@code ResqueStoreContract}): {@code RedisResqueStore} over a Herald
 * {@code RedisConnection} (the keys and payloads node-resque uses, so node-resque and Ruby Resque peers share them) and
 * {@code MemoryResqueStore} (the embedded default: one node, no Redis).
 *
 * <p>Every method takes and returns names <em>without</em> the namespace ({@code queue:mail}, not
 * {@code resque:queue:mail}); the store adds it. Payloads are the exact strings stored: encoding them byte for byte as
 * node-resque does is the caller's job ({@code io.herald.tasks.internal.wire}). Methods that change several keys do
 * so atomically (MULTI or a Lua script in Redis), as noted; a method that fails throws
 * {@link StoreUnavailableException}.
 */
public interface ResqueStore {

    /** The namespace, e.g. {@code resque}, for logs and for tools that print full keys. */
    String namespace();

    // ---------------------------------------------------------------------------------------------- queues

    /** {@code SADD queues <queue>; RPUSH queue:<queue> <job>} atomically (node-resque {@code Queue.enqueue}). */
    void enqueue(String queue, String job);

    /** The names in {@code queues}. */
    Set<String> queues();

    /** {@code LLEN queue:<queue>}. */
    long length(String queue);

    /**
     * {@link #enqueue} of several jobs on one queue in one atomic step: {@code SADD queues <queue>;
     * RPUSH queue:<queue> <job1> <job2> ...}, the jobs in their order (the layout of as many {@code Queue.enqueue}s).
     */
    void enqueueAll(String queue, List<String> jobs);

    /** {@code LRANGE queue:<queue> start stop}. */
    List<String> queued(String queue, long start, long stop);

    /**
     * Waits until {@code queue:<queue>} holds a job, at most {@code timeoutMillis}, without taking it: Redis's
     * {@code BLMOVE queue:<q> queue:<q> RIGHT RIGHT} (the last job moved to where it was: the list is unchanged, and
     * the wait blocks on the server instead of polling). Wakes on any client's enqueue, node-resque's too.
     *
     * @return whether the queue holds a job; false on the timeout
     * @throws UnsupportedOperationException when the store cannot wait ({@link #awaitsJobs()} is false)
     */
    default boolean awaitJob(String queue, long timeoutMillis) {
        throw new UnsupportedOperationException("this store cannot wait for jobs");
    }

    /**
     * Whether {@link #awaitJob} works here: on Redis 6.2 and later. The in-process store answers false: every job it
     * gets is enqueued in this node, which wakes its workers itself.
     */
    default boolean awaitsJobs() {
        return false;
    }

    /** {@code LREM queue:<queue> count job}: removes jobs equal to {@code job} (0 = all); returns how many. */
    long removeQueued(String queue, String job, long count);

    /** {@code DEL queue:<queue>; SREM queues <queue>} atomically. */
    void deleteQueue(String queue);

    // ---------------------------------------------------------------------------------------------- delayed jobs

    /**
     * Schedules {@code job} at {@code timestamp} (unix seconds) unless it is already scheduled then: atomically
     * {@code SISMEMBER timestamps:<job> delayed:<ts>} and, when absent, {@code RPUSH delayed:<ts> job;
     * SADD timestamps:<job> delayed:<ts>; ZADD delayed_queue_schedule ts "<ts>"}.
     *
     * @return false when the job was already scheduled at that second (node-resque's duplicate check)
     */
    boolean schedule(long timestamp, String job);

    /** The seconds in {@code timestamps:<job>} (the {@code delayed:<ts>} members, parsed). */
    List<Long> scheduledAt(String job);

    /**
     * Removes {@code job} from every {@code delayed:<ts>} list it is scheduled in and deletes {@code timestamps:<job>};
     * returns the seconds it was scheduled at. Empty {@code delayed:<ts>} lists are removed from the schedule.
     */
    List<Long> unschedule(String job);

    /** Every timestamp in {@code delayed_queue_schedule}, ascending. */
    List<Long> delayedTimestamps();

    /** {@code LRANGE delayed:<ts> 0 -1}. */
    List<String> delayedAt(long timestamp);

    /** The earliest timestamp in {@code delayed_queue_schedule} that is {@code <= nowSeconds}, or {@code null}. */
    Long nextDueTimestamp(long nowSeconds);

    /** The first job of {@code delayed:<ts>} without removing it, or {@code null} when the list is empty. */
    String peekDelayed(long timestamp);

    /**
     * Moves one delayed job to its queue in one atomic step, so a scheduler that dies half-way loses nothing and
     * duplicates nothing (node-resque LPOPs first, and loses the job if it dies before enqueuing it): removes one
     * {@code job} from {@code delayed:<ts>}, {@code SREM timestamps:<job> delayed:<ts>}, and when {@code queue} is not
     * {@code null} {@code SADD queues <queue>; RPUSH queue:<queue> job}. When {@code delayed:<ts>} is then empty it
     * is deleted and {@code ts} leaves {@code delayed_queue_schedule}.
     *
     * @param queue where to enqueue the job, or {@code null} to drop it (a plugin declined it)
     * @return false when {@code job} was no longer in {@code delayed:<ts>} (someone removed it): nothing was done
     */
    boolean transferDelayed(long timestamp, String job, String queue);

    /** Deletes {@code delayed:<ts>} and removes {@code ts} from the schedule when the list is empty (WATCH/MULTI). */
    void cleanupTimestamp(long timestamp);

    // ---------------------------------------------------------------------------------------------- workers

    /**
     * Pops the head of {@code queue:<queue>} and, in the same atomic step, records it as what the worker works on:
     * {@code SET worker:<worker>:<workerQueues> {"run_at":runAt,"queue":queue,"payload":<job>,"worker":worker}}
     * (node-resque's {@code popAndStoreJob.lua}).
     *
     * <p>A worker holds at most one job: while it holds one (its working-on key is set), popAndStore returns that job
     * again, byte for byte as it was popped, whatever {@code queue} and {@code runAt} are given, and changes nothing
     * (no pop; the record, with its {@code run_at} and {@code queue}, stays). So a call run again because its reply was
     * lost hands back the job the first run took instead of losing it. The job is held until {@link #completeJob},
     * {@link #releaseJob}, {@link #unregisterWorker} or {@link #forceCleanWorker} ends it.
     *
     * <p>{@link #completeAndClaim} without an end, from one queue.
     *
     * @return the job popped or held, or {@code null} when the worker holds none and the queue is empty
     */
    default String popAndStore(String queue, String worker, String workerQueues, String runAt) {
        return completeAndClaim(worker, workerQueues, null, List.of(queue), runAt).job();
    }

    /**
     * How a worker ended the job it holds, for {@link #completeAndClaim}.
     *
     * @param failure the failure payload, or {@code null} for a success
     * @param ended the worker's count of ended jobs when it claimed this one ({@link Claim#ended()})
     */
    record Completion(String failure, long ended) {
    }

    /**
     * What {@link #completeAndClaim} found.
     *
     * @param queue the queue the job came from (for a job held already: the queue its working-on record names, or
     *     {@code null} when the record names none); {@code null} when there is no job
     * @param job the job's text, or {@code null} when the worker holds none and every queue was empty
     * @param ended the worker's count of ended jobs, {@code stat:processed:<worker> + stat:failed:<worker>}, after the
     *     completion: the token of the next {@link Completion}
     */
    record Claim(String queue, String job, long ended) {
    }

    /**
     * One step of a worker in one round trip, atomically: ends the job it holds as {@link #completeJob} does, then
     * claims the next one as {@link #popAndStore} does, from the first of {@code queues} that is not empty (node-resque's
     * worker tries its queues in order after every job).
     *
     * <p>The end is recorded only when the worker's count of ended jobs ({@code stat:processed:<worker> +
     * stat:failed:<worker>}) still reads {@link Completion#ended()}, the count this step's claim returned. A step whose
     * reply was lost and which is run again finds the count moved on and the next job claimed: it records nothing
     * twice, and hands back that next job, where {@link #completeJob}'s own check (is a job held?) would end the next
     * job in the place of the first. The Retry plugin moves one count of the worker from processed to failed during a
     * job, which leaves the sum as it was.
     *
     * @param completion the end of the job the worker holds, or {@code null} when it holds none (or ended it already)
     * @param queues the queues to claim from, in priority order; empty to only record the end
     * @param runAt the {@code run_at} of a new working-on record
     */
    Claim completeAndClaim(String worker, String workerQueues, Completion completion, List<String> queues, String runAt);

    /**
     * Ends the job the worker holds, atomically: {@code DEL worker:<worker>:<workerQueues>}; on success
     * {@code INCR stat:processed; INCR stat:processed:<worker>}; on failure {@code INCR stat:failed;
     * INCR stat:failed:<worker>; RPUSH failed <failure>}. A second call for the same job does nothing: when the worker
     * holds no job (no working-on key) nothing is counted or pushed, so a call run again (a lost reply, a WAIT too few
     * replicas acknowledged) counts the job once.
     *
     * @param failure the failure payload, or {@code null} for a success
     */
    void completeJob(String worker, String workerQueues, String failure);

    /**
     * Ends the job the worker holds without counting it as processed or failed (skipped by a plugin):
     * {@code DEL worker:...}. A second call does nothing.
     */
    void releaseJob(String worker, String workerQueues);

    /** {@code SADD workers <worker>:<workerQueues>; SET worker:<worker>:<workerQueues>:started <startedSeconds>}. */
    void registerWorker(String worker, String workerQueues, long startedSeconds);

    /**
     * Removes a worker that stopped cleanly: {@code SREM workers <worker>:<workerQueues>; DEL worker:ping:<worker>,
     * worker:<worker>:<workerQueues>, worker:<worker>:<workerQueues>:started, stat:failed:<worker>,
     * stat:processed:<worker>} atomically.
     */
    void unregisterWorker(String worker, String workerQueues);

    /** {@code SET worker:ping:<worker> <ping>} ({@code {"time":<s>,"name":..,"queues":..}}). */
    void ping(String worker, String ping);

    /** The members of {@code workers}: {@code <worker>:<workerQueues>}. */
    Set<String> workers();

    /** {@code GET worker:<worker>:<workerQueues>}: the working-on payload, or {@code null} when idle. */
    String workingOn(String worker, String workerQueues);

    /** Every {@code worker:ping:<name>} key's value, by worker name (SCAN, on every master of a Cluster). */
    Map<String, String> pings();

    /**
     * Removes a dead worker atomically, as node-resque's {@code forceCleanWorker} (but also deleting the working-on key
     * node-resque leaves behind): {@code DEL stat:failed:<w>, stat:processed:<w>, worker:ping:<w>,
     * worker:<w>:<q>:started, worker:<w>:<q>, worker:<w>; SREM workers <w>:<q>}, and when {@code failure} is given and
     * the working-on record {@code worker:<w>:<q>} still exists, {@code RPUSH failed <failure>; INCR stat:failed}
     * (node-resque pushes it unconditionally, so two cleaners of one worker fail its job twice).
     *
     * @return whether the failure was written
     */
    boolean forceCleanWorker(String worker, String workerQueues, String failure);

    // ---------------------------------------------------------------------------------------------- stats, failed

    /**
     * Every {@code stat:*} counter, by name without the {@code stat:} prefix ({@code processed}, ...), read with
     * {@link #scan}; values that are not integers are left out.
     */
    default Map<String, Long> stats() {
        Map<String, Long> stats = new java.util.TreeMap<>();
        scan(ResqueKeys.STAT_PREFIX + "*").forEach((key, value) -> {
            Long number = ResqueKeys.counter(value);
            if (number != null) {
                stats.put(key.substring(ResqueKeys.STAT_PREFIX.length()), number);
            }
        });
        return stats;
    }

    /** Adds {@code delta} to {@code stat:<name>} (Retry moves a job from processed to failed). */
    void incrementStat(String name, long delta);

    /** {@code LLEN failed}. */
    long failedCount();

    /** {@code LRANGE failed start stop}. */
    List<String> failed(long start, long stop);

    /** {@code LREM failed 1 <failure>}; returns whether it was there. */
    boolean removeFailed(String failure);

    /**
     * Enqueues {@code job} on {@code queue} and removes {@code failure} from {@code failed}, atomically; nothing is
     * enqueued when the failure was no longer there (two operators retrying the same job enqueue it once).
     */
    boolean retryFailed(String failure, String queue, String job);

    // ---------------------------------------------------------------------------------------------- scheduler

    /**
     * node-resque's {@code tryForLeader}: {@code SET resque_scheduler_leader_lock <name> EX ttl NX}; when taken and held
     * by {@code name}, {@code EXPIRE} it again.
     *
     * @return whether {@code name} is the leader now
     */
    boolean tryForLeader(String name, int ttlSeconds);

    /** Deletes the leader lock when {@code name} holds it (atomically: compare and delete). */
    void releaseLeader(String name);

    /** The leader lock's holder, or {@code null}. */
    String leader();

    // ---------------------------------------------------------------------------------------------- plugin keys

    /** {@code SET <key> <value> EX ttl NX}; returns whether it was set. */
    boolean setIfAbsent(String key, String value, long ttlSeconds);

    /** {@code SET <key> <value> EX ttl} ({@code ttl <= 0}: no expiry). */
    void set(String key, String value, long ttlSeconds);

    /** {@code GET <key>}, or {@code null}. */
    String get(String key);

    /** {@code DEL <key>}; returns whether it existed. */
    boolean delete(String key);

    /** {@code INCR <key>} then {@code EXPIRE <key> ttl} when {@code ttl > 0}; returns the new value. */
    long increment(String key, long ttlSeconds);

    /** Every key matching the glob {@code pattern} (namespace excluded) with its string value (SCAN + GET). */
    Map<String, String> scan(String pattern);
}
