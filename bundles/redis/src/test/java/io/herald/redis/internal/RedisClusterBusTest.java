package io.herald.redis.internal;

import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.herald.api.spi.ClusterTransport;
import io.herald.core.cluster.ClusterBusContract;
import io.herald.testing.redis.RedisServer;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The cluster bus contract with nodes talking through a real Redis: each node publishes through its own {@code client}
 * connection and receives through its own {@code subscriber}, as separate Herald processes do.
 */
class RedisClusterBusTest extends ClusterBusContract {

    private static RedisServer redis;

    /** One channel per test, so no test hears another's nodes. */
    private final String channel = "herald-test-" + UUID.randomUUID();
    private final Map<ClusterTransport, List<HaRedisConnection>> connections = new IdentityHashMap<>();

    @BeforeAll
    static void startRedis() {
        redis = RedisServer.start();
    }

    @AfterAll
    static void stopRedis() {
        redis.close();
    }

    @Override
    protected ClusterTransport transportFor(String nodeId) {
        HaRedisConnection publisher = TestConnections.standalone("client", redis);
        HaRedisConnection subscriber = TestConnections.standalone("subscriber", redis);
        ClusterTransport transport = new RedisClusterTransport(publisher, subscriber, channel);
        connections.put(transport, List.of(publisher, subscriber));
        return transport;
    }

    @Override
    protected void release(ClusterTransport transport) {
        List<HaRedisConnection> held = connections.remove(transport);
        if (held != null) {
            held.forEach(HaRedisConnection::close);
        }
    }
}
