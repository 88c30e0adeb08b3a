package io.herald.tasks.internal;

import java.util.List;
import java.util.Map;

import io.herald.tasks.internal.engine.ServiceProperties;
import io.herald.tasks.internal.scheduler.Scheduler;
import io.herald.tasks.internal.worker.WorkerPool;

/**
 * The task processor's settings, read from configuration PID {@code io.herald.tasks} ({@link TasksConfig}) with the
 * defaults of the node's role. Actionhero's defaults run no worker and no scheduler anywhere, which is why its users'
 * tasks so often never run; Herald's {@code worker} and {@code all} roles run both, the {@code web} role neither.
 *
 * @throws IllegalArgumentException (from {@link #from}) naming the key whose value is wrong
 */
public record TasksSettings(List<String> queues, long timeoutMillis, long checkTimeoutMillis, int minTaskProcessors,
        int maxTaskProcessors, boolean scheduler, long stuckWorkerTimeoutMillis, boolean retryStuckJobs,
        int leaderLockTimeoutSeconds, String namespace, int waitReplicas, long waitTimeoutMillis,
        long shutdownTimeoutMillis) {

    static final long DEFAULT_TIMEOUT = 5000;
    static final long DEFAULT_CHECK_TIMEOUT = 500;
    static final long DEFAULT_STUCK_WORKER_TIMEOUT = 3_600_000;
    static final int DEFAULT_LEADER_LOCK_TIMEOUT = 180;
    static final long DEFAULT_WAIT_TIMEOUT = 1000;
    static final long DEFAULT_SHUTDOWN_TIMEOUT = 30_000;
    static final int DEFAULT_MIN_PROCESSORS = 1;
    static final int DEFAULT_MAX_PROCESSORS = 4;
    static final String WEB_ROLE = "web";

    public TasksSettings {
        queues = List.copyOf(queues);
    }

    /**
     * @param config the configuration's properties (empty when there is none)
     * @param role the node's role ({@code herald.role}; {@code null} outside the launcher counts as {@code all})
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
                throw new IllegalArgumentException("minTaskProcessors (" + min + ") must not exceed maxTaskProcessors ("
                        + max + ")");
            }
        }
        long timeout = positive(config, "timeout", DEFAULT_TIMEOUT);
        long stuckWorkerTimeout = ServiceProperties.longValue(config, "stuckWorkerTimeout", DEFAULT_STUCK_WORKER_TIMEOUT);
        if (stuckWorkerTimeout > 0 && stuckWorkerTimeout <= 2 * timeout) {
            // workers ping every timeout ms (in whole seconds): a shorter limit would remove live workers
            throw new IllegalArgumentException("stuckWorkerTimeout (" + stuckWorkerTimeout + ") must exceed twice"
                    + " timeout (" + timeout + "), the interval at which workers ping; 0 turns the check off");
        }
        return new TasksSettings(queues.isEmpty() ? List.of("*") : queues, timeout,
                positive(config, "checkTimeout", DEFAULT_CHECK_TIMEOUT), min, max,
                ServiceProperties.bool(config, "scheduler", !web),
                stuckWorkerTimeout,
                ServiceProperties.bool(config, "retryStuckJobs", false),
                (int) positive(config, "leaderLockTimeout", DEFAULT_LEADER_LOCK_TIMEOUT),
                ServiceProperties.string(config, "namespace", "").trim(),
                count(config, "waitReplicas", 0),
                positive(config, "waitTimeout", DEFAULT_WAIT_TIMEOUT),
                ServiceProperties.longValue(config, "shutdownTimeout", DEFAULT_SHUTDOWN_TIMEOUT));
    }

    /** The pool's share of these settings. */
    public WorkerPool.Settings pool() {
        return new WorkerPool.Settings(minTaskProcessors, maxTaskProcessors, queues, timeoutMillis, checkTimeoutMillis,
                Math.max(0, shutdownTimeoutMillis));
    }

    /** The scheduler's share of these settings, under {@code name}. */
    public Scheduler.Settings scheduler(String name) {
        return new Scheduler.Settings(name, timeoutMillis, leaderLockTimeoutSeconds, stuckWorkerTimeoutMillis,
                retryStuckJobs);
    }

    private static int count(Map<String, ?> config, String key, int fallback) {
        long value = ServiceProperties.longValue(config, key, fallback);
        if (value < 0 || value > 10_000) {
            throw new IllegalArgumentException(key + " must be between 0 and 10000, was " + value);
        }
        return (int) value;
    }

    private static long positive(Map<String, ?> config, String key, long fallback) {
        long value = ServiceProperties.longValue(config, key, fallback);
        if (value <= 0) {
            throw new IllegalArgumentException(key + " must be positive, was " + value);
        }
        return value;
    }

    private static boolean blank(Map<String, ?> config, String key) {
        Object value = config.get(key);
        return value == null || value.toString().isBlank();
    }
}
