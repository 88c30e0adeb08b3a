package io.herald.redis.internal;

import java.util.Map;

import io.herald.redis.RedisConnection;

/**
 * Opens a {@link RedisConnection} outside an OSGi framework, for the tests of bundles that use Redis: the same
 * implementation the {@code io.herald.redis.connection} services run, started. It lives in this private package
 * because it needs the implementation; a test class path sees it, a bundle in a framework does not (there, use the
 * services the Redis bundle publishes).
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
        ConnectionSettings settings = ConnectionSettings.parse(properties, "default");
        if (settings == null) {
            throw new IllegalArgumentException("no Redis is configured: give host, sentinels or clusterNodes");
        }
        HaRedisConnection connection = new HaRedisConnection(settings);
        connection.start();
        return connection;
    }

    /** A connection its opener closes. */
    public interface Opened extends RedisConnection, AutoCloseable {

        /** Closes the connection and its subscriptions. */
        @Override
        void close();
    }
}
