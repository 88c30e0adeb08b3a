package io.herald.redis;

import java.util.Map;

import io.herald.redis.internal.StandaloneConnections;

/**
 * Opens a {@link RedisConnection} outside an OSGi framework: for command-line tools and for tests of bundles that use
 * Redis. In a framework, use the services the Redis bundle publishes instead.
 *
 * @since 1.1
 */
public final class RedisConnections {

    private RedisConnections() {
    }

    /**
     * Opens a connection from the same properties as an {@code io.herald.redis.connection} configuration ({@code name},
     * {@code host}/{@code port}, or {@code sentinels}/{@code masterName}, or {@code clusterNodes}, timeouts, ...). It
     * connects in the background, as the service does; poll {@link RedisConnection#state()} to wait for it.
     *
     * @throws IllegalArgumentException when the properties are not a valid configuration
     */
    public static Opened open(Map<String, ?> properties) {
        return StandaloneConnections.open(properties);
    }

    /** A connection its opener closes. */
    public interface Opened extends RedisConnection, AutoCloseable {

        /** Closes the connection and its subscriptions. */
        @Override
        void close();
    }
}
