package io.herald.tasks.internal.store;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import io.herald.redis.RedisConnection;
import io.herald.redis.RedisUnavailableException;

import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.args.ListDirection;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.params.SetParams;
import redis.clients.jedis.util.JedisClusterCRC16;

/**
 * The {@link ResqueStore} on Redis, in node-resque's key layout ({@link ResqueKeys}), over a Herald
 * {@link RedisConnection} (the {@code tasks} connection), so node-resque (Actionhero) and Ruby Resque peers on the
 * same Redis and namespace share its queues, delayed jobs, workers, stats and failed jobs.
 *
 * <p><b>Atomic steps.</b> Every method that changes several keys runs one Lua script ({@link ResqueScripts}), atomic
 * on the server: where node-resque uses MULTI the effect is the same; where it uses separate commands (enqueueAt's
 * duplicate check, the scheduler's LPOP-then-enqueue, tryForLeader's GET-then-EXPIRE, retryAndRemoveFailed) Herald
 * closes the window in which a crash loses or duplicates a job. {@code popAndStore} is node-resque's
 * {@code popAndStoreJob.lua} with two deliberate changes, described at {@link ResqueScripts#COMPLETE_AND_CLAIM}, the
 * script that ends a worker's job and claims its next in one round trip.
 *
 * <p><b>Redis Cluster.</b> Scripts and MULTI cannot span hash slots, so on a Cluster connection the namespace must
 * hold a hash tag and defaults to {@code {resque}} ({@link RedisStoreSettings#namespaceFor}); node-resque peers on
 * that Cluster must use the same namespace. Scans ({@link #pings()}, {@link #stats()}, {@link #scan}) visit every
 * master.
 *
 * <p><b>At least once.</b> {@link RedisConnection#execute} runs a command again when the connection broke or the
 * leader was changing, and cannot know whether the first attempt reached Redis: a script that ran before the
 * connection dropped runs a second time. So across a failover, {@code enqueue} (and a transfer's enqueue) may write a
 * job twice; scripts that check first ({@code schedule}'s duplicate check, {@code transferDelayed},
 * {@code retryFailed}'s LREM) do not, and the worker's step is idempotent: {@code completeAndClaim} run again hands
 * back the job the worker already holds instead of taking (and losing) another, and records the end of the previous
 * job only while the worker's count of ended jobs has not moved on, so neither counts it nor pushes its failure twice
 * ({@code completeJob} run again finds the job ended). A job may therefore run twice, never zero
 * times; tasks should be idempotent, as with any Resque.
 *
 * <p><b>Durability.</b> With {@link RedisStoreSettings#waitReplicas()} {@code > 0}, enqueue, schedule,
 * transferDelayed, completeAndClaim (with an end), completeJob and retryFailed are followed by {@code WAIT} on the same connection
 * ({@link ReplicatedWrite}); when fewer replicas acknowledge in time the method throws
 * {@link StoreUnavailableException} although the leader has the write: the caller cannot know whether it will
 * survive, and a retry errs on the side of a duplicate (except for {@code completeJob}, whose retry does nothing when
 * the first run is still there, and ends the job when a failover lost it).
 *
 * <p>Thread-safe (the connection pools its Redis connections).
 */
public final class RedisResqueStore implements ResqueStore {

    private final RedisConnection connection;
    private final RedisStoreSettings settings;
    private final String namespace;
    /** {@code namespace + ":"}: every key starts with it. */
    private final String prefix;
    /** The slot of the namespace's hash tag on a Cluster (every key's slot), for routing whole-store commands. */
    private final int slot;
    /** {@code prefix + "queue:"}. */
    private final String queuePrefix;
    /**
     * The keys of each worker's {@link #completeAndClaim} but its queues' (the same at every job), by its member;
     * dropped when it unregisters.
     */
    private final Map<String, List<String>> stepKeys = new ConcurrentHashMap<>();
    /** Whether {@link #awaitJob} works: until Redis answers that it does not know BLMOVE (before 6.2). */
    private volatile boolean blockingWaits = true;

    /** A store with node-resque's defaults ({@link RedisStoreSettings#defaults()}). */
    public RedisResqueStore(RedisConnection connection) {
        this(connection, RedisStoreSettings.defaults());
    }

    /**
     * @throws IllegalArgumentException on a Cluster connection when the namespace has no hash tag
     */
    public RedisResqueStore(RedisConnection connection, RedisStoreSettings settings) {
        this.connection = Objects.requireNonNull(connection, "connection");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.namespace = settings.namespaceFor(connection.mode());
        this.prefix = namespace + ":";
        this.queuePrefix = key(ResqueKeys.queue(""));
        this.slot = JedisClusterCRC16.getSlot(prefix);
    }

    @Override
    public String namespace() {
        return namespace;
    }

    /** The settings in use. */
    public RedisStoreSettings settings() {
        return settings;
    }

    // ---------------------------------------------------------------------------------------------- queues

    @Override
    public void enqueue(String queue, String job) {
        durable("enqueue", ResqueScripts.ENQUEUE, keys(ResqueKeys.QUEUES, ResqueKeys.queue(queue)),
                List.of(queue, job));
    }

    /**
     * One script per {@link ResqueScripts#ENQUEUE_BATCH} jobs, each atomic (and followed by WAIT when configured): a
     * batch larger than that is written in several steps, of which a failure may leave the first ones written.
     */
    @Override
    public void enqueueAll(String queue, List<String> jobs) {
        List<String> keys = keys(ResqueKeys.QUEUES, ResqueKeys.queue(queue));
        for (int from = 0; from < jobs.size(); from += ResqueScripts.ENQUEUE_BATCH) {
            List<String> chunk = jobs.subList(from, Math.min(jobs.size(), from + ResqueScripts.ENQUEUE_BATCH));
            List<String> args = new ArrayList<>(chunk.size() + 1);
            args.add(queue);
            args.addAll(chunk);
            durable("enqueueAll", ResqueScripts.ENQUEUE, keys, args);
        }
    }

    @Override
    public Set<String> queues() {
        return call("queues", jedis -> jedis.smembers(key(ResqueKeys.QUEUES)));
    }

    @Override
    public long length(String queue) {
        return call("length", jedis -> jedis.llen(key(ResqueKeys.queue(queue))));
    }

    @Override
    public List<String> queued(String queue, long start, long stop) {
        return call("queued", jedis -> jedis.lrange(key(ResqueKeys.queue(queue)), start, stop));
    }

    /**
     * {@code BLMOVE}, with a timeout of whole seconds at least: Redis 6.0 and older take no fraction. The connection
     * waits without a socket timeout for a blocking command (Jedis), so this returns with Redis's reply.
     */
    @Override
    public boolean awaitJob(String queue, long timeoutMillis) {
        String key = key(ResqueKeys.queue(queue));
        double seconds = Math.max(1, timeoutMillis / 1000);
        try {
            return call("awaitJob", jedis -> jedis.blmove(key, key, ListDirection.RIGHT, ListDirection.RIGHT,
                    seconds)) != null;
        } catch (StoreUnavailableException e) {
            if (String.valueOf(e.getMessage()).contains("unknown command")) {
                blockingWaits = false; // Redis before 6.2
            }
            throw e;
        }
    }

    @Override
    public boolean awaitsJobs() {
        return blockingWaits;
    }

    @Override
    public long removeQueued(String queue, String job, long count) {
        return call("removeQueued", jedis -> jedis.lrem(key(ResqueKeys.queue(queue)), count, job));
    }

    @Override
    public void deleteQueue(String queue) {
        script("deleteQueue", ResqueScripts.DELETE_QUEUE, keys(ResqueKeys.queue(queue), ResqueKeys.QUEUES),
                List.of(queue));
    }

    // ---------------------------------------------------------------------------------------------- delayed jobs

    @Override
    public boolean schedule(long timestamp, String job) {
        String seconds = Long.toString(timestamp);
        Object added = durable("schedule", ResqueScripts.SCHEDULE, keys(ResqueKeys.timestamps(job),
                ResqueKeys.delayed(timestamp), ResqueKeys.SCHEDULE), List.of(ResqueKeys.delayedMember(timestamp), job,
                seconds));
        return isOne(added);
    }

    @Override
    public List<Long> scheduledAt(String job) {
        return ResqueKeys.delayedSeconds(call("scheduledAt", jedis -> jedis.smembers(key(ResqueKeys.timestamps(job)))));
    }

    @Override
    public List<Long> unschedule(String job) {
        Object removed = script("unschedule", ResqueScripts.UNSCHEDULE, keys(ResqueKeys.timestamps(job),
                ResqueKeys.SCHEDULE), List.of(prefix, job));
        List<String> members = new ArrayList<>();
        for (Object member : (List<?>) removed) {
            members.add(String.valueOf(member));
        }
        return ResqueKeys.delayedSeconds(members);
    }

    @Override
    public List<Long> delayedTimestamps() {
        return seconds(call("delayedTimestamps", jedis -> jedis.zrange(key(ResqueKeys.SCHEDULE), 0, -1)));
    }

    @Override
    public List<String> delayedAt(long timestamp) {
        return call("delayedAt", jedis -> jedis.lrange(key(ResqueKeys.delayed(timestamp)), 0, -1));
    }

    @Override
    public Long nextDueTimestamp(long nowSeconds) {
        List<Long> due = seconds(call("nextDueTimestamp", jedis -> jedis.zrangeByScore(key(ResqueKeys.SCHEDULE),
                "-inf", Long.toString(nowSeconds), 0, 1)));
        return due.isEmpty() ? null : due.get(0);
    }

    @Override
    public String peekDelayed(long timestamp) {
        return call("peekDelayed", jedis -> jedis.lindex(key(ResqueKeys.delayed(timestamp)), 0));
    }

    @Override
    public boolean transferDelayed(long timestamp, String job, String queue) {
        List<String> keys = queue == null
                ? keys(ResqueKeys.delayed(timestamp), ResqueKeys.timestamps(job), ResqueKeys.SCHEDULE)
                : keys(ResqueKeys.delayed(timestamp), ResqueKeys.timestamps(job), ResqueKeys.SCHEDULE,
                        ResqueKeys.QUEUES, ResqueKeys.queue(queue));
        List<String> args = queue == null
                ? List.of(job, ResqueKeys.delayedMember(timestamp), Long.toString(timestamp))
                : List.of(job, ResqueKeys.delayedMember(timestamp), Long.toString(timestamp), queue);
        return isOne(durable("transferDelayed", ResqueScripts.TRANSFER_DELAYED, keys, args));
    }

    @Override
    public void cleanupTimestamp(long timestamp) {
        script("cleanupTimestamp", ResqueScripts.CLEANUP_TIMESTAMP, keys(ResqueKeys.delayed(timestamp),
                ResqueKeys.SCHEDULE), List.of(Long.toString(timestamp)));
    }

    // ---------------------------------------------------------------------------------------------- workers

    @Override
    public Claim completeAndClaim(String worker, String workerQueues, Completion completion, List<String> queues,
            String runAt) {
        List<String> keys = new ArrayList<>(6 + queues.size());
        keys.addAll(stepKeys.computeIfAbsent(ResqueKeys.workerMember(worker, workerQueues), member -> keys(
                ResqueKeys.workingOn(worker, workerQueues), ResqueKeys.stat("processed"),
                ResqueKeys.stat("processed:" + worker), ResqueKeys.stat("failed"), ResqueKeys.stat("failed:" + worker),
                ResqueKeys.FAILED)));
        List<String> args = new ArrayList<>(5 + queues.size());
        args.add(completion == null ? "" : completion.failure() == null ? "processed" : "failed");
        args.add(completion == null ? "0" : Long.toString(completion.ended()));
        args.add(completion == null || completion.failure() == null ? "" : completion.failure());
        args.add(runAt);
        args.add(worker);
        for (String queue : queues) {
            keys.add(queuePrefix + queue);
            args.add(queue);
        }
        // the end of a job must survive a failover (WAIT when configured); a bare claim is undone by a lost leader
        Object reply = completion == null
                ? script("completeAndClaim", ResqueScripts.COMPLETE_AND_CLAIM, keys, args)
                : durable("completeAndClaim", ResqueScripts.COMPLETE_AND_CLAIM, keys, args);
        List<?> fields = (List<?>) reply;
        return new Claim(fields.get(0) == null ? null : String.valueOf(fields.get(0)),
                fields.get(1) == null ? null : String.valueOf(fields.get(1)), ((Number) fields.get(2)).longValue());
    }

    @Override
    public void completeJob(String worker, String workerQueues, String failure) {
        String counter = failure == null ? "processed" : "failed";
        durable("completeJob", ResqueScripts.COMPLETE_JOB, keys(ResqueKeys.workingOn(worker, workerQueues),
                ResqueKeys.stat(counter), ResqueKeys.stat(counter + ":" + worker), ResqueKeys.FAILED),
                failure == null ? List.of() : List.of(failure));
    }

    @Override
    public void releaseJob(String worker, String workerQueues) {
        call("releaseJob", jedis -> jedis.del(key(ResqueKeys.workingOn(worker, workerQueues))));
    }

    @Override
    public void registerWorker(String worker, String workerQueues, long startedSeconds) {
        script("registerWorker", ResqueScripts.REGISTER_WORKER, keys(ResqueKeys.WORKERS,
                ResqueKeys.started(worker, workerQueues)), List.of(ResqueKeys.workerMember(worker, workerQueues),
                Long.toString(startedSeconds)));
    }

    @Override
    public void unregisterWorker(String worker, String workerQueues) {
        stepKeys.remove(ResqueKeys.workerMember(worker, workerQueues));
        script("unregisterWorker", ResqueScripts.UNREGISTER_WORKER, keys(ResqueKeys.WORKERS, ResqueKeys.ping(worker),
                ResqueKeys.workingOn(worker, workerQueues), ResqueKeys.started(worker, workerQueues),
                ResqueKeys.stat("failed:" + worker), ResqueKeys.stat("processed:" + worker)),
                List.of(ResqueKeys.workerMember(worker, workerQueues)));
    }

    @Override
    public void ping(String worker, String ping) {
        call("ping", jedis -> jedis.set(key(ResqueKeys.ping(worker)), ping));
    }

    @Override
    public Set<String> workers() {
        return call("workers", jedis -> jedis.smembers(key(ResqueKeys.WORKERS)));
    }

    @Override
    public String workingOn(String worker, String workerQueues) {
        return call("workingOn", jedis -> jedis.get(key(ResqueKeys.workingOn(worker, workerQueues))));
    }

    @Override
    public Map<String, String> pings() {
        Map<String, String> pings = new LinkedHashMap<>();
        scan(ResqueKeys.PING_PREFIX + "*").forEach((key, value) ->
                pings.put(key.substring(ResqueKeys.PING_PREFIX.length()), value));
        return pings;
    }

    @Override
    public boolean forceCleanWorker(String worker, String workerQueues, String failure) {
        stepKeys.remove(ResqueKeys.workerMember(worker, workerQueues));
        Object written = script("forceCleanWorker", ResqueScripts.FORCE_CLEAN_WORKER, keys(ResqueKeys.WORKERS, ResqueKeys.stat("failed"),
                ResqueKeys.stat("failed:" + worker), ResqueKeys.stat("processed:" + worker), ResqueKeys.ping(worker),
                ResqueKeys.started(worker, workerQueues), ResqueKeys.workingOn(worker, workerQueues),
                ResqueKeys.legacyWorker(worker), ResqueKeys.FAILED),
                failure == null ? List.of(ResqueKeys.workerMember(worker, workerQueues))
                        : List.of(ResqueKeys.workerMember(worker, workerQueues), failure));
        return isOne(written);
    }

    // ---------------------------------------------------------------------------------------------- stats, failed

    @Override
    public void incrementStat(String name, long delta) {
        call("incrementStat", jedis -> jedis.incrBy(key(ResqueKeys.stat(name)), delta));
    }

    @Override
    public long failedCount() {
        return call("failedCount", jedis -> jedis.llen(key(ResqueKeys.FAILED)));
    }

    @Override
    public List<String> failed(long start, long stop) {
        return call("failed", jedis -> jedis.lrange(key(ResqueKeys.FAILED), start, stop));
    }

    @Override
    public boolean removeFailed(String failure) {
        return call("removeFailed", jedis -> jedis.lrem(key(ResqueKeys.FAILED), 1, failure)) > 0;
    }

    @Override
    public boolean retryFailed(String failure, String queue, String job) {
        return isOne(durable("retryFailed", ResqueScripts.RETRY_FAILED, keys(ResqueKeys.FAILED, ResqueKeys.QUEUES,
                ResqueKeys.queue(queue)), List.of(failure, queue, job)));
    }

    // ---------------------------------------------------------------------------------------------- scheduler

    @Override
    public boolean tryForLeader(String name, int ttlSeconds) {
        return isOne(script("tryForLeader", ResqueScripts.TRY_FOR_LEADER, keys(ResqueKeys.LEADER_LOCK),
                List.of(name, Integer.toString(ttlSeconds))));
    }

    @Override
    public void releaseLeader(String name) {
        script("releaseLeader", ResqueScripts.RELEASE_LEADER, keys(ResqueKeys.LEADER_LOCK), List.of(name));
    }

    @Override
    public String leader() {
        return call("leader", jedis -> jedis.get(key(ResqueKeys.LEADER_LOCK)));
    }

    // ---------------------------------------------------------------------------------------------- plugin keys

    @Override
    public boolean setIfAbsent(String key, String value, long ttlSeconds) {
        SetParams params = ttlSeconds > 0 ? SetParams.setParams().nx().ex(ttlSeconds) : SetParams.setParams().nx();
        return "OK".equals(call("setIfAbsent", jedis -> jedis.set(key(key), value, params)));
    }

    @Override
    public void set(String key, String value, long ttlSeconds) {
        call("set", jedis -> ttlSeconds > 0 ? jedis.set(key(key), value, SetParams.setParams().ex(ttlSeconds))
                : jedis.set(key(key), value));
    }

    @Override
    public String get(String key) {
        return call("get", jedis -> jedis.get(key(key)));
    }

    @Override
    public boolean delete(String key) {
        return call("delete", jedis -> jedis.del(key(key))) > 0;
    }

    @Override
    public long increment(String key, long ttlSeconds) {
        return ((Number) script("increment", ResqueScripts.INCREMENT, keys(key), List.of(Long.toString(ttlSeconds))))
                .longValue();
    }

    @Override
    public Map<String, String> scan(String pattern) {
        String glob = escapeGlob(prefix) + pattern;
        Map<String, String> found = call("scan", jedis -> KeyScanner.scan(jedis, glob, slot));
        Map<String, String> result = new LinkedHashMap<>();
        found.forEach((key, value) -> result.put(key.substring(prefix.length()), value));
        return result;
    }

    // ---------------------------------------------------------------------------------------------- plumbing

    /** The full key. */
    private String key(String name) {
        return prefix + name;
    }

    private List<String> keys(String... names) {
        List<String> keys = new ArrayList<>(names.length);
        for (String name : names) {
            keys.add(key(name));
        }
        return keys;
    }

    /** The namespace as a literal inside a SCAN glob: {@code * ? [ ] \} escaped. */
    static String escapeGlob(String literal) {
        StringBuilder out = new StringBuilder(literal.length() + 4);
        for (char c : literal.toCharArray()) {
            if (c == '*' || c == '?' || c == '[' || c == ']' || c == '\\') {
                out.append('\\');
            }
            out.append(c);
        }
        return out.toString();
    }

    private Object script(String operation, LuaScript script, List<String> keys, List<String> args) {
        return call(operation, jedis -> script.run(jedis, keys, args));
    }

    /** A write that must survive a failover: the script, then WAIT when configured. */
    private Object durable(String operation, LuaScript script, List<String> keys, List<String> args) {
        if (!settings.waits()) {
            return script(operation, script, keys, args);
        }
        ReplicatedWrite.Result result = call(operation, jedis -> ReplicatedWrite.run(jedis, script, keys, args,
                settings.waitReplicas(), settings.waitTimeoutMillis()));
        if (result.acknowledged() < settings.waitReplicas()) {
            throw new StoreUnavailableException("tasks store " + operation + " was written to the Redis leader but"
                    + " only " + result.acknowledged() + " of " + settings.waitReplicas() + " replica(s) acknowledged"
                    + " it within " + settings.waitTimeoutMillis() + " ms (waitReplicas): it may be lost if the leader"
                    + " fails now", null);
        }
        return result.value();
    }

    private <T> T call(String operation, Function<UnifiedJedis, T> command) {
        try {
            return connection.execute(command);
        } catch (RedisUnavailableException e) {
            throw new StoreUnavailableException("tasks store " + operation + " failed: " + e.getMessage(), e);
        } catch (JedisException e) {
            // an error Redis meant (WRONGTYPE, a script error): the contract reports every failure the same way
            throw new StoreUnavailableException("tasks store " + operation + " failed on Redis ("
                    + connection.name() + ", namespace " + namespace + "): " + e.getMessage(), e);
        }
    }

    private static boolean isOne(Object reply) {
        return reply instanceof Number number && number.longValue() == 1;
    }

    private static List<Long> seconds(List<String> members) {
        List<Long> seconds = new ArrayList<>(members.size());
        for (String member : members) {
            Long value = ResqueKeys.counter(member);
            if (value != null) {
                seconds.add(value);
            }
        }
        return seconds;
    }
}
