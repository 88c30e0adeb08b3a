package io.herald.redis.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import java.util.stream.Collectors;

import io.herald.api.cache.Cache;
import io.herald.core.cache.CacheContract;
import io.herald.redis.RedisConnection;
import io.herald.redis.RedisUnavailableException;
import io.herald.testing.Await;
import io.herald.testing.redis.RedisAddress;
import io.herald.testing.redis.SentinelTopology;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The cache contract through Sentinel (leader, replica, three sentinels), and an unknown master name. */
class SentinelRedisCacheTest extends CacheContract {

    private static SentinelTopology topology;
    private static HaRedisConnection connection;

    @BeforeAll
    static void startSentinel() {
        topology = SentinelTopology.start();
        connection = TestConnections.sentinel("client", topology);
    }

    @AfterAll
    static void stopSentinel() {
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

    @Test
    void an_unknown_master_name_leaves_the_connection_down_with_the_cause() {
        Map<String, Object> config = new HashMap<>();
        config.put("name", "misnamed");
        config.put("sentinels", topology.sentinelAddresses().stream().map(RedisAddress::toString)
                .collect(Collectors.joining(",")));
        config.put("masterName", "no-such-master");
        try (HaRedisConnection misnamed = new HaRedisConnection(ConnectionSettings.parse(config, "x"))) {
            misnamed.start();
            Await.until(() -> misnamed.lastError() != null, "the first attempt failed");
            assertEquals(RedisConnection.State.DOWN, misnamed.state());
            assertTrue(misnamed.lastError().contains("no-such-master"), misnamed.lastError());
            RedisUnavailableException e = assertThrows(RedisUnavailableException.class,
                    () -> misnamed.execute(jedis -> jedis.ping()));
            assertTrue(e.getMessage().contains("'misnamed'"), e.getMessage());
            assertEquals("misnamed", e.connection());
        }
    }
}
