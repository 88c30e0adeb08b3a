package io.herald.tasks.internal.store;

import io.herald.redis.RedisConnection;

/**
 * How {@link RedisResqueStore} uses its connection.
 *
 * @param namespace the key prefix, {@code resque} as node-resque and Actionhero use it; {@code null} or blank for the
 *     default of the connection's mode: {@value #DEFAULT_NAMESPACE}, or {@value #CLUSTER_NAMESPACE} on a Redis Cluster,
 *     where the namespace must hold a hash tag (see {@link #namespaceFor})
 * @param waitReplicas {@code 0} (the default): writes return once the leader has them, as node-resque's do.
 *     {@code n > 0}: the writes that must survive the leader's death (enqueue, schedule, transferDelayed,
 *     completeJob, retryFailed) are followed by {@code WAIT n waitTimeoutMillis} on the same connection, and fail
 *     when fewer than {@code n} replicas acknowledged them in time. Redis replicates asynchronously: without it, a
 *     leader killed right after acknowledging a write can take the write with it when a replica is promoted. It
 *     costs one replication round trip per such write.
 * @param waitTimeoutMillis how long {@code WAIT} waits for the replicas; required ({@code > 0}) when
 *     {@code waitReplicas > 0}, since {@code WAIT n 0} would block for ever
 */
public record RedisStoreSettings(String namespace, int waitReplicas, long waitTimeoutMillis) {

    public static final String DEFAULT_NAMESPACE = "resque";
    public static final String CLUSTER_NAMESPACE = "{resque}";

    public RedisStoreSettings {
        namespace = namespace == null || namespace.isBlank() ? null : namespace.trim();
        if (waitReplicas < 0) {
            throw new IllegalArgumentException("waitReplicas must be 0 (off) or a number of replicas, got "
                    + waitReplicas);
        }
        if (waitTimeoutMillis < 0 || (waitReplicas > 0 && waitTimeoutMillis == 0)) {
            throw new IllegalArgumentException("waitTimeoutMillis must be > 0 when waitReplicas is set (WAIT "
                    + waitReplicas + " 0 would block for ever), got " + waitTimeoutMillis);
        }
    }

    /** node-resque's defaults: namespace {@code resque} ({@code {resque}} on a Cluster), no WAIT. */
    public static RedisStoreSettings defaults() {
        return new RedisStoreSettings(null, 0, 0);
    }

    /** These settings with another namespace. */
    public RedisStoreSettings withNamespace(String newNamespace) {
        return new RedisStoreSettings(newNamespace, waitReplicas, waitTimeoutMillis);
    }

    /** These settings with {@code WAIT replicas timeout} after the writes that must survive a failover. */
    public RedisStoreSettings withWait(int replicas, long timeoutMillis) {
        return new RedisStoreSettings(namespace, replicas, timeoutMillis);
    }

    /**
     * The namespace to use on a connection of {@code mode}. On a Cluster, keys of different hash slots cannot share a
     * Lua script or a MULTI, and the store's atomic steps need both; so the namespace must hold a Redis hash tag
     * ({@code {...}}, non-empty: {@code {resque}}, {@code app{jobs}}), which puts every key of the store in one slot.
     * node-resque peers on the same Cluster must then be configured with the same namespace (node-resque joins it
     * with {@code :} as Herald does: {@code {resque}:queue:mail}).
     *
     * @throws IllegalArgumentException on a Cluster when the namespace has no hash tag
     */
    public String namespaceFor(RedisConnection.Mode mode) {
        if (mode != RedisConnection.Mode.CLUSTER) {
            return namespace == null ? DEFAULT_NAMESPACE : namespace;
        }
        if (namespace == null) {
            return CLUSTER_NAMESPACE;
        }
        if (hashTag(namespace) == null) {
            throw new IllegalArgumentException("the tasks namespace '" + namespace + "' has no hash tag: on a Redis"
                    + " Cluster every key of the task store must be in one hash slot (its scripts touch several keys),"
                    + " so use a namespace such as '{" + namespace.replace("{", "").replace("}", "") + "}', and the"
                    + " same namespace in node-resque peers");
        }
        return namespace;
    }

    /** Redis's hash tag of a key that starts with {@code prefix}: between its first '&#123;' and the next '&#125;'. */
    static String hashTag(String prefix) {
        int open = prefix.indexOf('{');
        if (open < 0) {
            return null;
        }
        int close = prefix.indexOf('}', open + 1);
        return close > open + 1 ? prefix.substring(open + 1, close) : null;
    }

    /** Whether the store WAITs for replicas after its durable writes. */
    public boolean waits() {
        return waitReplicas > 0;
    }
}
