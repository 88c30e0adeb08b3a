package io.herald.tasks.internal.store;

import java.util.HashMap;
import java.util.Map;
import java.util.stream.Collectors;

import io.herald.redis.RedisConnection;
import io.herald.redis.internal.RedisConnections;
import io.herald.testing.Await;
import io.herald.testing.redis.ClusterTopology;
import io.herald.testing.redis.RedisAddress;
import io.herald.testing.redis.RedisServer;
import io.herald.testing.redis.SentinelTopology;

/** {@code tasks} connections to the real servers of io.herald.testing.redis, configured as a .cfg file would be. */
final class StoreConnections {

    private StoreConnections() {
    }

    static RedisConnections.Opened standalone(String host, int port) {
        Map<String, Object> config = base();
        config.put("host", host);
        config.put("port", String.valueOf(port));
        return opened(config);
    }

    /** A standalone connection whose commands are retried for {@code retryWindowMillis} only. */
    static RedisConnections.Opened standalone(String host, int port, long retryWindowMillis) {
        Map<String, Object> config = base();
        config.put("host", host);
        config.put("port", String.valueOf(port));
        config.put("retryWindowMillis", String.valueOf(retryWindowMillis));
        return opened(config);
    }

    static RedisConnections.Opened standalone(RedisServer server) {
        return standalone(server.host(), server.port());
    }

    static RedisConnections.Opened sentinel(SentinelTopology topology) {
        Map<String, Object> config = base();
        config.put("sentinels", topology.sentinelAddresses().stream().map(RedisAddress::toString)
                .collect(Collectors.joining(",")));
        config.put("masterName", topology.masterName());
        return opened(config);
    }

    static RedisConnections.Opened cluster(ClusterTopology topology) {
        Map<String, Object> config = base();
        config.put("clusterNodes", topology.seedNodes().stream().map(RedisAddress::toString)
                .collect(Collectors.joining(",")));
        return opened(config);
    }

    private static Map<String, Object> base() {
        Map<String, Object> config = new HashMap<>();
        config.put("name", "tasks");
        config.put("connectTimeoutMillis", "1000");
        config.put("socketTimeoutMillis", "3000");
        config.put("retryWindowMillis", "10000");
        return config;
    }

    private static RedisConnections.Opened opened(Map<String, Object> config) {
        RedisConnections.Opened connection = RedisConnections.open(config);
        try {
            Await.until(() -> connection.state() == RedisConnection.State.CONNECTED, "connection tasks CONNECTED");
        } catch (AssertionError e) {
            connection.close();
            throw e;
        }
        return connection;
    }

}
