package io.herald.tasks.internal;

import java.util.List;
import java.util.Map;

import io.herald.core.properties.InvalidPropertyException;
import io.herald.core.properties.ServiceProperties;
import io.herald.tasks.internal.scheduler.Scheduler;
import io.herald.tasks.internal.worker.WorkerPool;

/**
 * The task processor's settings, read from configuration PID {@code io.herald.tasks} ({@link TasksConfig}) with the
 * defaults of the node's role. Actionhero's defaults run no worker and no scheduler anywhere, which is why its users'
 * tasks so often never run; Herald's {@code worker} and {@code all} roles run both, the {@code web} role neither.
 *
 */
public record TasksSettings(List<String> queues, long timeoutMillis, long checkTimeoutMillis, int minTaskProcessors,
        int maxTaskProcessors, boolean scheduler, long stuckWorkerTimeoutMillis, long silentWorkerTimeoutMillis,
        boolean retryStuckJobs,
        int leaderLockTimeoutSeconds, String namespace, int waitReplicas, long waitTimeoutMillis,
        long shutdownTimeoutMillis) {

    static final long DEFAULT_TIMEOUT = 5000;
    static final long DEFAULT_CHECK_TIMEOUT = 500;
    /**
     * Two minutes, where node-resque and Actionhero wait an hour (a killed worker's job then waits an hour, what their
     * users complain about). Workers ping every {@code timeout} (5 s) from the pool's own platform thread, whatever
     * their job does, so a live worker's ping is at most about {@code timeout + checkTimeout} plus a second of rounding
     * (6.5 s) old. The margin is for what stops pings without the worker being dead: a Redis failover (Sentinel's
     * default {@code down-after-milliseconds} is 30 s, then the election), a long GC pause, clocks of two hosts some
     * seconds apart (the ping carries the worker's clock, the scheduler compares with its own). Workers of the
     * scheduler's own host whose process is gone are released at once anyway (see {@code DeadWorkers}).
     */
    static final long DEFAULT_STUCK_WORKER_TIMEOUT = 120_000;
    /**
     * An hour, node-resque's and Actionhero's {@code stuckWorkerTimeout}: a worker that never pings (Ruby Resque,
     * Jesque) gives no sign of life, only the age of its job, and a job may rightly run for long.
     */
    static final long DEFAULT_SILENT_WORKER_TIMEOUT = 3_600_000;
    static final int DEFAULT_LEADER_LOCK_TIMEOUT = 180;
    static final long DEFAULT_WAIT_TIMEOUT = 1000;
    static final long DEFAULT_SHUTDOWN_TIMEOUT = 30_000;
    static final int DEFAULT_MIN_PROCESSORS = 1;
    static final int DEFAULT_MAX_PROCESSORS = 4;
    static final String WEB_ROLE = "web";
    /** The most processors one node may be asked for: a typo (an extra digit) must not start a million threads. */
    static final int MAX_COUNT = 10_000;

    public TasksSettings {
        queues = List.copyOf(queues);
    }

    /**
     * @param config the configuration's properties (empty when there is none)
     * @param role the node's role ({@code herald.role}; {@code null} outside the launcher counts as {@code all})
     * @throws InvalidPropertyException naming the key whose value is not accepted, what was given and what is
     *     accepted; values metatype cannot check (empty-or-a-number, one value against another) are checked here
     */
    public static TasksSettings from(Map<String, ?> config, String role) {
        boolean web = WEB_ROLE.equals(role);
        List<String> queues = ServiceProperties.strings(config, "queues");
        int max = count(config, "maxTaskProcessors", web ? 0 : DEFAULT_MAX_PROCESSORS);
        int min = count(config, "minTaskProcessors", web ? 0 : Math.min(DEFAULT_MIN_PROCESSORS, max));
        if (min > max) {
            if (blank(config, "maxTaskProcessors")) {
                max = min;
            } else {
                throw new InvalidPropertyException("minTaskProcessors", "minTaskProcessors (" + min
                        + ") must not exceed maxTaskProcessors (" + max + ")");
            }
        }
        long timeout = positive(config, "timeout", DEFAULT_TIMEOUT);
        boolean scheduler = ServiceProperties.bool(config, "scheduler", !web);
        // the two limits below are the scheduler's: checked where it runs
        long stuckWorkerTimeout = atLeastZero(config, "stuckWorkerTimeout", DEFAULT_STUCK_WORKER_TIMEOUT);
        if (scheduler && stuckWorkerTimeout > 0 && stuckWorkerTimeout <= 2 * timeout) {
            // workers ping every timeout ms (in whole seconds): a shorter limit would remove live workers
            throw new InvalidPropertyException("stuckWorkerTimeout", "stuckWorkerTimeout (" + stuckWorkerTimeout
                    + ") must exceed twice timeout (" + timeout + "), the interval at which workers ping; 0 turns the"
                    + " check off");
        }
        int leaderLockTimeout = (int) Math.min(Integer.MAX_VALUE,
                positive(config, "leaderLockTimeout", DEFAULT_LEADER_LOCK_TIMEOUT));
        if (scheduler && leaderLockTimeout * 1000L <= 2 * timeout) {
            // the leader renews its lock every timeout ms: a shorter lock would lapse between renewals
            throw new InvalidPropertyException("leaderLockTimeout", "leaderLockTimeout (" + leaderLockTimeout
                    + " s) must exceed twice timeout (" + timeout + " ms), the interval at which the leader renews it");
        }
        return new TasksSettings(queues.isEmpty() ? List.of("*") : queues, timeout,
                positive(config, "checkTimeout", DEFAULT_CHECK_TIMEOUT), min, max, scheduler, stuckWorkerTimeout,
                atLeastZero(config, "silentWorkerTimeout", DEFAULT_SILENT_WORKER_TIMEOUT),
                ServiceProperties.bool(config, "retryStuckJobs", false),
                leaderLockTimeout,
                ServiceProperties.string(config, "namespace", "").trim(),
                count(config, "waitReplicas", 0),
                positive(config, "waitTimeout", DEFAULT_WAIT_TIMEOUT),
                atLeastZero(config, "shutdownTimeout", DEFAULT_SHUTDOWN_TIMEOUT));
    }

    /** The pool's share of these settings. */
    public WorkerPool.Settings pool() {
        return new WorkerPool.Settings(minTaskProcessors, maxTaskProcessors, queues, timeoutMillis, checkTimeoutMillis,
                shutdownTimeoutMillis);
    }

    /** The scheduler's share of these settings, under {@code name}. */
    public Scheduler.Settings scheduler(String name) {
        return new Scheduler.Settings(name, timeoutMillis, leaderLockTimeoutSeconds, stuckWorkerTimeoutMillis,
                silentWorkerTimeoutMillis, retryStuckJobs);
    }

    /** Empty (the fallback) or a whole number from 0 to {@value #MAX_COUNT}. */
    private static int count(Map<String, ?> config, String key, int fallback) {
        long value = number(config, key, fallback, "empty or a whole number from 0 to " + MAX_COUNT);
        if (value < 0 || value > MAX_COUNT) {
            throw new InvalidPropertyException(key, key + " must be empty or a whole number from 0 to " + MAX_COUNT
                    + ", was " + value);
        }
        return (int) value;
    }

    private static long positive(Map<String, ?> config, String key, long fallback) {
        long value = number(config, key, fallback, "a whole number above 0");
        if (value <= 0) {
            throw new InvalidPropertyException(key, key + " must be a whole number above 0, was " + value);
        }
        return value;
    }

    private static long atLeastZero(Map<String, ?> config, String key, long fallback) {
        long value = number(config, key, fallback, "a whole number, 0 or more");
        if (value < 0) {
            throw new InvalidPropertyException(key, key + " must be a whole number, 0 or more, was " + value);
        }
        return value;
    }

    /** The value as a whole number, with {@code accepted} in the error when it is not one. */
    private static long number(Map<String, ?> config, String key, long fallback, String accepted) {
        try {
            return ServiceProperties.longValue(config, key, fallback);
        } catch (InvalidPropertyException e) {
            throw new InvalidPropertyException(key, key + " must be " + accepted + ", was \"" + config.get(key) + "\"");
        }
    }

    private static boolean blank(Map<String, ?> config, String key) {
        Object value = config.get(key);
        return value == null || value.toString().isBlank();
    }
}
