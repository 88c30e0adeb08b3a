package io.herald.tasks.internal.store;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

import io.herald.tasks.internal.wire.JsJson;
import io.herald.tasks.internal.wire.Payloads;
import io.herald.tasks.internal.wire.WireFormatException;

/**
 * The embedded {@link ResqueStore}: one node, no Redis. It keeps one key space with Redis's types
 * (strings with an optional expiry, lists, sets, and the sorted set of the delayed schedule) under the same key names
 * as {@link RedisResqueStore}, so every method has the Redis store's semantics, including {@code WRONGTYPE} errors and
 * the expiry of plugin keys and of the leader lock. Nothing survives the JVM.
 *
 * <p>Thread-safe: every method holds the store's lock for its whole run, which makes each one atomic as its Redis
 * counterpart (MULTI or a script) is. Time comes from the {@link Clock} given, so that tests can move it.
 */
public final class MemoryResqueStore implements ResqueStore {

    private static final String WRONGTYPE = "WRONGTYPE Operation against a key holding the wrong kind of value";

    private final Clock clock;
    private final String namespace;
    /** Key (no namespace) to {@link Text}, {@code ArrayList<String>}, {@code LinkedHashSet<String>} or schedule. */
    private final Map<String, Object> keys = new HashMap<>();

    /** A store on the system clock, reporting the namespace {@code resque}. */
    public MemoryResqueStore() {
        this(Clock.systemUTC());
    }

    /** A store whose expiries follow {@code clock}. */
    public MemoryResqueStore(Clock clock) {
        this(clock, "resque");
    }

    /** A store whose expiries follow {@code clock} and that reports {@code namespace} (it has no other use here). */
    public MemoryResqueStore(Clock clock, String namespace) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.namespace = Objects.requireNonNull(namespace, "namespace");
    }

    /** A string value and when it expires ({@link Long#MAX_VALUE}: never). */
    private record Text(String value, long expiresAtMillis) {
    }

    /** The {@code delayed_queue_schedule} sorted set: its scores are its members, so a sorted set of seconds. */
    private static final class Schedule extends TreeSet<Long> {
        private static final long serialVersionUID = 1L;
    }

    @Override
    public String namespace() {
        return namespace;
    }

    // ---------------------------------------------------------------------------------------------- queues

    @Override
    public synchronized void enqueue(String queue, String job) {
        expectTypes(ResqueKeys.QUEUES, ResqueKeys.queue(queue));
        set(ResqueKeys.QUEUES, true).add(queue);
        list(ResqueKeys.queue(queue), true).add(job);
    }

    @Override
    public synchronized void enqueueAll(String queue, List<String> jobs) {
        expectTypes(ResqueKeys.QUEUES, ResqueKeys.queue(queue));
        if (!jobs.isEmpty()) {
            set(ResqueKeys.QUEUES, true).add(queue);
            list(ResqueKeys.queue(queue), true).addAll(jobs);
        }
    }

    @Override
    public synchronized Set<String> queues() {
        return copy(set(ResqueKeys.QUEUES, false));
    }

    @Override
    public synchronized long length(String queue) {
        List<String> list = list(ResqueKeys.queue(queue), false);
        return list == null ? 0 : list.size();
    }

    @Override
    public synchronized List<String> queued(String queue, long start, long stop) {
        List<String> list = list(ResqueKeys.queue(queue), false);
        return list == null ? List.of() : RedisLists.range(list, start, stop);
    }

    @Override
    public synchronized long removeQueued(String queue, String job, long count) {
        return removeFromList(ResqueKeys.queue(queue), job, count);
    }

    @Override
    public synchronized void deleteQueue(String queue) {
        keys.remove(ResqueKeys.queue(queue));
        removeFromSet(ResqueKeys.QUEUES, queue);
    }

    // ---------------------------------------------------------------------------------------------- delayed jobs

    @Override
    public synchronized boolean schedule(long timestamp, String job) {
        String member = ResqueKeys.delayedMember(timestamp);
        expectTypes(ResqueKeys.timestamps(job), ResqueKeys.delayed(timestamp), ResqueKeys.SCHEDULE);
        Set<String> scheduled = set(ResqueKeys.timestamps(job), false);
        if (scheduled != null && scheduled.contains(member)) {
            return false;
        }
        list(ResqueKeys.delayed(timestamp), true).add(job);
        set(ResqueKeys.timestamps(job), true).add(member);
        schedule(true).add(timestamp);
        return true;
    }

    @Override
    public synchronized List<Long> scheduledAt(String job) {
        Set<String> members = set(ResqueKeys.timestamps(job), false);
        return members == null ? List.of() : ResqueKeys.delayedSeconds(members);
    }

    @Override
    public synchronized List<Long> unschedule(String job) {
        Set<String> members = set(ResqueKeys.timestamps(job), false);
        if (members == null) {
            return List.of();
        }
        List<Long> removedAt = new ArrayList<>();
        for (long timestamp : ResqueKeys.delayedSeconds(members)) {
            if (removeFromList(ResqueKeys.delayed(timestamp), job, 0) > 0) {
                removedAt.add(timestamp);
            }
            dropTimestampIfEmpty(timestamp);
        }
        keys.remove(ResqueKeys.timestamps(job));
        return removedAt;
    }

    @Override
    public synchronized List<Long> delayedTimestamps() {
        Schedule schedule = schedule(false);
        return schedule == null ? List.of() : List.copyOf(schedule);
    }

    @Override
    public synchronized List<String> delayedAt(long timestamp) {
        List<String> list = list(ResqueKeys.delayed(timestamp), false);
        return list == null ? List.of() : List.copyOf(list);
    }

    @Override
    public synchronized Long nextDueTimestamp(long nowSeconds) {
        Schedule schedule = schedule(false);
        if (schedule == null || schedule.first() > nowSeconds) {
            return null;
        }
        return schedule.first();
    }

    @Override
    public synchronized String peekDelayed(long timestamp) {
        List<String> list = list(ResqueKeys.delayed(timestamp), false);
        return list == null ? null : list.get(0);
    }

    @Override
    public synchronized boolean transferDelayed(long timestamp, String job, String queue) {
        expectTypes(ResqueKeys.timestamps(job), ResqueKeys.SCHEDULE);
        if (queue != null) {
            expectTypes(ResqueKeys.QUEUES, ResqueKeys.queue(queue));
        }
        if (removeFromList(ResqueKeys.delayed(timestamp), job, 1) == 0) {
            return false;
        }
        removeFromSet(ResqueKeys.timestamps(job), ResqueKeys.delayedMember(timestamp));
        if (queue != null) {
            enqueue(queue, job);
        }
        dropTimestampIfEmpty(timestamp);
        return true;
    }

    @Override
    public synchronized void cleanupTimestamp(long timestamp) {
        dropTimestampIfEmpty(timestamp);
    }

    private void dropTimestampIfEmpty(long timestamp) {
        if (list(ResqueKeys.delayed(timestamp), false) == null) {
            Schedule schedule = schedule(false);
            if (schedule != null) {
                schedule.remove(timestamp);
                if (schedule.isEmpty()) {
                    keys.remove(ResqueKeys.SCHEDULE);
                }
            }
        }
    }

    // ---------------------------------------------------------------------------------------------- workers

    @Override
    public synchronized Claim completeAndClaim(String worker, String workerQueues, Completion completion,
            List<String> queues, String runAt) {
        String workingOn = ResqueKeys.workingOn(worker, workerQueues);
        if (completion != null && live(workingOn) instanceof Text && ended(worker) == completion.ended()) {
            completeJob(worker, workerQueues, completion.failure());
        }
        if (live(workingOn) instanceof Text record) {
            // the worker holds a job: hand it back rather than take another (ResqueScripts.COMPLETE_AND_CLAIM)
            String queue;
            try {
                queue = Payloads.decodeWorkingOn(record.value()).queue();
            } catch (WireFormatException e) {
                queue = null;
            }
            return new Claim(queue, heldJob(record.value(), worker), ended(worker));
        }
        for (String queue : queues) {
            List<String> list = list(ResqueKeys.queue(queue), false);
            if (list != null) {
                String job = list.remove(0);
                if (list.isEmpty()) {
                    keys.remove(ResqueKeys.queue(queue));
                }
                put(workingOn, Payloads.encodeWorkingOn(runAt, queue, job, worker), 0);
                return new Claim(queue, job, ended(worker));
            }
        }
        return new Claim(null, null, ended(worker));
    }

    /** {@code stat:processed:<worker> + stat:failed:<worker>}, a counter that is not one read as 0 (as the script). */
    private long ended(String worker) {
        return counterValue(ResqueKeys.stat("processed:" + worker)) + counterValue(ResqueKeys.stat("failed:" + worker));
    }

    private long counterValue(String key) {
        Long value = live(key) instanceof Text text ? ResqueKeys.counter(text.value()) : null;
        return value == null ? 0 : value;
    }

    /**
     * The job text a working-on record holds, byte for byte as popped: the record is {@link Payloads#encodeWorkingOn}'s
     * {@code {"run_at":<string>,"queue":<string>,"payload":<job>,"worker":<string>}}, the job embedded as it is (a JSON
     * object) or as a JSON string. {@code ,"payload":} first appears after the two strings (inside a JSON string every
     * {@code "} is escaped) and the record ends with the worker's field, so what lies between is the job. A record of
     * another shape gives its payload (re-encoded when it is a JSON value), or else the whole record, which the worker
     * then fails visibly. The same rule as the Redis script ({@code ResqueScripts.HELD_JOB}).
     */
    static String heldJob(String record, String worker) {
        String head = "{\"run_at\":";
        String tail = ",\"worker\":" + JsJson.quote(worker) + "}";
        String field = ",\"payload\":";
        if (record.startsWith(head) && record.length() > head.length() + tail.length() && record.endsWith(tail)) {
            int at = record.indexOf(field, head.length());
            int end = record.length() - tail.length();
            if (at >= 0 && at + field.length() <= end) {
                String job = record.substring(at + field.length(), end);
                if (job.startsWith("{")) {
                    return job;
                }
                if (job.startsWith("\"")) {
                    try {
                        if (JsJson.parse(job) instanceof String text) {
                            return text;
                        }
                    } catch (WireFormatException e) {
                        // not a string after all: read the record as a whole below
                    }
                }
            }
        }
        try {
            Object payload = Payloads.decodeWorkingOn(record).payload();
            if (payload instanceof String text) {
                return text;
            }
            if (payload instanceof Map<?, ?> || payload instanceof List<?>) {
                return JsJson.stringify(payload);
            }
        } catch (WireFormatException e) {
            // not a JSON object: the record itself is what the worker held
        }
        return record;
    }

    @Override
    public synchronized void completeJob(String worker, String workerQueues, String failure) {
        String workingOn = ResqueKeys.workingOn(worker, workerQueues);
        if (live(workingOn) == null) {
            return; // no job held: this job was ended already (ResqueScripts.COMPLETE_JOB)
        }
        String counter = failure == null ? "processed" : "failed";
        expectCounter(ResqueKeys.stat(counter));
        expectCounter(ResqueKeys.stat(counter + ":" + worker));
        if (failure != null) {
            list(ResqueKeys.FAILED, false);
        }
        keys.remove(workingOn);
        // the entry before the counters, as the Redis script does: a broken counter must not cost it
        if (failure != null) {
            list(ResqueKeys.FAILED, true).add(failure);
        }
        incrementBy(ResqueKeys.stat(counter), 1);
        incrementBy(ResqueKeys.stat(counter + ":" + worker), 1);
    }

    @Override
    public synchronized void releaseJob(String worker, String workerQueues) {
        keys.remove(ResqueKeys.workingOn(worker, workerQueues));
    }

    @Override
    public synchronized void registerWorker(String worker, String workerQueues, long startedSeconds) {
        set(ResqueKeys.WORKERS, true).add(ResqueKeys.workerMember(worker, workerQueues));
        put(ResqueKeys.started(worker, workerQueues), Long.toString(startedSeconds), 0);
    }

    @Override
    public synchronized void unregisterWorker(String worker, String workerQueues) {
        removeFromSet(ResqueKeys.WORKERS, ResqueKeys.workerMember(worker, workerQueues));
        keys.remove(ResqueKeys.ping(worker));
        keys.remove(ResqueKeys.workingOn(worker, workerQueues));
        keys.remove(ResqueKeys.started(worker, workerQueues));
        keys.remove(ResqueKeys.stat("failed:" + worker));
        keys.remove(ResqueKeys.stat("processed:" + worker));
    }

    @Override
    public synchronized void ping(String worker, String ping) {
        put(ResqueKeys.ping(worker), ping, 0);
    }

    @Override
    public synchronized Set<String> workers() {
        return copy(set(ResqueKeys.WORKERS, false));
    }

    @Override
    public synchronized String workingOn(String worker, String workerQueues) {
        return get(ResqueKeys.workingOn(worker, workerQueues));
    }

    @Override
    public synchronized Map<String, String> pings() {
        Map<String, String> pings = new LinkedHashMap<>();
        scan(ResqueKeys.PING_PREFIX + "*").forEach((key, value) ->
                pings.put(key.substring(ResqueKeys.PING_PREFIX.length()), value));
        return pings;
    }

    @Override
    public synchronized boolean forceCleanWorker(String worker, String workerQueues, String failure) {
        boolean failed = failure != null && get(ResqueKeys.workingOn(worker, workerQueues)) != null;
        if (failed) {
            list(ResqueKeys.FAILED, true).add(failure);
        }
        keys.remove(ResqueKeys.stat("failed:" + worker));
        keys.remove(ResqueKeys.stat("processed:" + worker));
        keys.remove(ResqueKeys.ping(worker));
        keys.remove(ResqueKeys.started(worker, workerQueues));
        keys.remove(ResqueKeys.workingOn(worker, workerQueues));
        keys.remove(ResqueKeys.legacyWorker(worker));
        removeFromSet(ResqueKeys.WORKERS, ResqueKeys.workerMember(worker, workerQueues));
        if (failed) {
            incrementBy(ResqueKeys.stat("failed"), 1);
        }
        return failed;
    }

    // ---------------------------------------------------------------------------------------------- stats, failed

    @Override
    public synchronized void incrementStat(String name, long delta) {
        incrementBy(ResqueKeys.stat(name), delta);
    }

    @Override
    public synchronized long failedCount() {
        List<String> failed = list(ResqueKeys.FAILED, false);
        return failed == null ? 0 : failed.size();
    }

    @Override
    public synchronized List<String> failed(long start, long stop) {
        List<String> failed = list(ResqueKeys.FAILED, false);
        return failed == null ? List.of() : RedisLists.range(failed, start, stop);
    }

    @Override
    public synchronized boolean removeFailed(String failure) {
        return removeFromList(ResqueKeys.FAILED, failure, 1) > 0;
    }

    @Override
    public synchronized boolean retryFailed(String failure, String queue, String job) {
        expectTypes(ResqueKeys.QUEUES, ResqueKeys.queue(queue));
        if (removeFromList(ResqueKeys.FAILED, failure, 1) == 0) {
            return false;
        }
        enqueue(queue, job);
        return true;
    }

    // ---------------------------------------------------------------------------------------------- scheduler

    @Override
    public synchronized boolean tryForLeader(String name, int ttlSeconds) {
        String holder = get(ResqueKeys.LEADER_LOCK);
        if (holder == null || holder.equals(name)) {
            put(ResqueKeys.LEADER_LOCK, name, ttlSeconds);
            return true;
        }
        return false;
    }

    @Override
    public synchronized void releaseLeader(String name) {
        if (name.equals(get(ResqueKeys.LEADER_LOCK))) {
            keys.remove(ResqueKeys.LEADER_LOCK);
        }
    }

    @Override
    public synchronized String leader() {
        return get(ResqueKeys.LEADER_LOCK);
    }

    // ---------------------------------------------------------------------------------------------- plugin keys

    @Override
    public synchronized boolean setIfAbsent(String key, String value, long ttlSeconds) {
        if (live(key) != null) {
            return false;
        }
        put(key, value, ttlSeconds);
        return true;
    }

    @Override
    public synchronized void set(String key, String value, long ttlSeconds) {
        put(key, value, ttlSeconds);
    }

    @Override
    public synchronized String get(String key) {
        Object value = live(key);
        if (value == null) {
            return null;
        }
        if (value instanceof Text text) {
            return text.value();
        }
        throw wrongType(key);
    }

    @Override
    public synchronized boolean delete(String key) {
        return live(key) != null && keys.remove(key) != null;
    }

    @Override
    public synchronized long increment(String key, long ttlSeconds) {
        long value = incrementBy(key, 1);
        if (ttlSeconds > 0) {
            Text text = (Text) keys.get(key);
            keys.put(key, new Text(text.value(), expiry(ttlSeconds)));
        }
        return value;
    }

    @Override
    public synchronized Map<String, String> scan(String pattern) {
        GlobPattern glob = GlobPattern.compile(pattern);
        Map<String, String> found = new LinkedHashMap<>();
        for (String key : List.copyOf(keys.keySet())) {
            if (glob.matches(key) && live(key) instanceof Text text) {
                found.put(key, text.value());
            }
        }
        return found;
    }

    // ---------------------------------------------------------------------------------------------- the key space

    /** The key's value, or null when it does not exist or has expired (and is then removed, as Redis does). */
    private Object live(String key) {
        Object value = keys.get(key);
        if (value instanceof Text text && text.expiresAtMillis() <= clock.millis()) {
            keys.remove(key);
            return null;
        }
        return value;
    }

    /** {@code SET key value [EX ttl]}: replaces any value and any expiry; {@code ttl <= 0} means none. */
    private void put(String key, String value, long ttlSeconds) {
        keys.put(key, new Text(Objects.requireNonNull(value, "value"), ttlSeconds > 0 ? expiry(ttlSeconds)
                : Long.MAX_VALUE));
    }

    private long expiry(long ttlSeconds) {
        long now = clock.millis();
        return ttlSeconds >= (Long.MAX_VALUE - now) / 1000 ? Long.MAX_VALUE : now + ttlSeconds * 1000;
    }

    /** {@code INCRBY}: keeps the expiry, as Redis does; a missing key counts from 0. */
    private long incrementBy(String key, long delta) {
        Object value = live(key);
        if (value != null && !(value instanceof Text)) {
            throw wrongType(key);
        }
        Text text = (Text) value;
        Long current = text == null ? Long.valueOf(0) : ResqueKeys.counter(text.value());
        if (current == null) {
            throw new StoreUnavailableException("ERR value is not an integer or out of range: " + key, null);
        }
        long next;
        try {
            next = Math.addExact(current, delta);
        } catch (ArithmeticException e) {
            throw new StoreUnavailableException("ERR increment or decrement would overflow: " + key, e);
        }
        keys.put(key, new Text(Long.toString(next), text == null ? Long.MAX_VALUE : text.expiresAtMillis()));
        return next;
    }

    @SuppressWarnings("unchecked")
    private List<String> list(String key, boolean create) {
        Object value = live(key);
        if (value == null) {
            if (!create) {
                return null;
            }
            List<String> list = new ArrayList<>();
            keys.put(key, list);
            return list;
        }
        if (value instanceof ArrayList<?>) {
            return (List<String>) value;
        }
        throw wrongType(key);
    }

    @SuppressWarnings("unchecked")
    private Set<String> set(String key, boolean create) {
        Object value = live(key);
        if (value == null) {
            if (!create) {
                return null;
            }
            Set<String> set = new LinkedHashSet<>();
            keys.put(key, set);
            return set;
        }
        if (value instanceof LinkedHashSet<?>) {
            return (Set<String>) value;
        }
        throw wrongType(key);
    }

    private Schedule schedule(boolean create) {
        Object value = live(ResqueKeys.SCHEDULE);
        if (value == null) {
            if (!create) {
                return null;
            }
            Schedule schedule = new Schedule();
            keys.put(ResqueKeys.SCHEDULE, schedule);
            return schedule;
        }
        if (value instanceof Schedule schedule) {
            return schedule;
        }
        throw wrongType(ResqueKeys.SCHEDULE);
    }

    /**
     * Throws {@code WRONGTYPE} before a step writes anything when a key it will write holds another type (queues,
     * workers and {@code timestamps:} keys are sets; {@code queue:}, {@code delayed:} and {@code failed} lists), so a
     * step never stops half-way, as the Redis scripts check first too.
     */
    private void expectTypes(String... names) {
        for (String key : names) {
            Object value = live(key);
            boolean expected = key.equals(ResqueKeys.SCHEDULE) ? value instanceof Schedule
                    : key.equals(ResqueKeys.QUEUES) || key.startsWith("timestamps:") ? value instanceof LinkedHashSet<?>
                    : value instanceof ArrayList<?>;
            if (value != null && !expected) {
                throw wrongType(key);
            }
        }
    }

    /** Throws {@code WRONGTYPE} when {@code key} exists and is not a string (a counter {@code INCR} would refuse). */
    private void expectCounter(String key) {
        Object value = live(key);
        if (value != null && !(value instanceof Text)) {
            throw wrongType(key);
        }
    }

    /** {@code LREM}; an emptied list disappears, as in Redis. */
    private long removeFromList(String key, String value, long count) {
        List<String> list = list(key, false);
        if (list == null) {
            return 0;
        }
        long removed = RedisLists.remove(list, value, count);
        if (list.isEmpty()) {
            keys.remove(key);
        }
        return removed;
    }

    /** {@code SREM}; an emptied set disappears, as in Redis. */
    private void removeFromSet(String key, String member) {
        Set<String> set = set(key, false);
        if (set != null && set.remove(member) && set.isEmpty()) {
            keys.remove(key);
        }
    }

    private static Set<String> copy(Set<String> set) {
        return set == null ? Set.of() : Set.copyOf(set);
    }

    private static StoreUnavailableException wrongType(String key) {
        return new StoreUnavailableException(WRONGTYPE + ": " + key, null);
    }
}
