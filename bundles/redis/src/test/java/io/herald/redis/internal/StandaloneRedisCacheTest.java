package io.herald.redis.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.List;

import io.herald.api.cache.Cache;
import io.herald.api.cache.CacheUnavailableException;
import io.herald.core.cache.CacheContract;
import io.herald.testing.redis.RedisServer;
import io.herald.testing.redis.RespClient;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The cache contract on one standalone redis-server, plus the key layout the README documents. */
class StandaloneRedisCacheTest extends CacheContract {

    private static RedisServer server;
    private static HaRedisConnection connection;

    @BeforeAll
    static void startRedis() {
        server = RedisServer.start();
        connection = TestConnections.standalone("client", server);
    }

    @AfterAll
    static void stopRedis() {
        if (connection != null) {
            connection.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @Override
    protected Cache newCache(String owner) {
        return new RedisCache(connection, owner, TestConnections.MAPPER);
    }

    @Test
    void values_locks_and_lists_live_under_the_documented_keys() {
        Cache cache = newCache("node-x");
        cache.save("layout", List.of(1, 2), Duration.ofMinutes(1));
        cache.lock("layout", Duration.ofMinutes(1));
        cache.push("layout-list", "item");
        try (RespClient client = server.client()) {
            assertEquals("[1,2]", client.callString("GET", "herald:cache:{layout}"));
            assertEquals("node-x", client.callString("GET", "herald:lock:{layout}"));
            assertEquals("\"item\"", client.callString("LINDEX", "herald:list:{layout-list}", "0"));
        }
    }

    @Test
    void a_command_sent_right_after_start_waits_for_the_first_connection() {
        try (HaRedisConnection fresh = new HaRedisConnection(ConnectionSettings.parse(
                TestConnections.standaloneConfig("fresh", server.host(), server.port()), "x"))) {
            fresh.start();
            // the service is published before the first attempt ends: callers must not see "down" meanwhile
            assertEquals("PONG", fresh.execute(jedis -> jedis.ping()));
        }
    }

    @Test
    void keys_that_would_break_the_hash_tag_are_refused() {
        Cache cache = newCache("node-x");
        assertThrows(IllegalArgumentException.class, () -> cache.save("", "v"));
        assertThrows(IllegalArgumentException.class, () -> cache.save("}x", "v"));
    }

    @Test
    void a_redis_error_is_a_cache_unavailable_error() {
        try (RespClient client = server.client()) {
            client.call("SET", "herald:list:{not-a-list}", "a string");
        }
        Cache cache = newCache("node-x");
        CacheUnavailableException e = assertThrows(CacheUnavailableException.class,
                () -> cache.push("not-a-list", "item"));
        assertEquals(true, e.getMessage().contains("WRONGTYPE"), e.getMessage());
    }
}
