package io.herald.redis.internal;

import io.herald.api.cache.Cache;
import io.herald.core.cache.CacheContract;
import io.herald.testing.redis.ClusterTopology;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The cache contract on a six-node Redis Cluster: keys spread over slots, each value with its lock in one slot. */
class ClusterRedisCacheTest extends CacheContract {

    private static ClusterTopology topology;
    private static HaRedisConnection connection;

    @BeforeAll
    static void startCluster() {
        topology = ClusterTopology.start();
        connection = TestConnections.cluster("client", topology);
    }

    @AfterAll
    static void stopCluster() {
        if (connection != null) {
            connection.close();
        }
        if (topology != null) {
            topology.close();
        }
    }

    @Override
    protected Cache newCache(String owner) {
        return new RedisCache(connection, owner, TestConnections.MAPPER);
    }
}
