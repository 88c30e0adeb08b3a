package io.herald.testing.redis;

import java.time.Duration;

/**
 * What a failover triggered by a topology did.
 *
 * @param from the leader (master) before the failover
 * @param to the node that took over
 * @param duration from the trigger until the new node reported {@code role:master} and the topology named it (the
 *     sentinels, or the cluster's slot map with {@code cluster_state:ok}); measured, for reports, never for asserts
 * @since 1.0
 */
public record Failover(RedisAddress from, RedisAddress to, Duration duration) {

    @Override
    public String toString() {
        return from + " -> " + to + " in " + duration.toMillis() + " ms";
    }
}
