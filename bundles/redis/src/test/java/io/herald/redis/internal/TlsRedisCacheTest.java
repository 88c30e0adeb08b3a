package io.herald.redis.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import io.herald.api.cache.Cache;
import io.herald.api.spi.HealthIndicator;
import io.herald.core.cache.CacheContract;
import io.herald.testing.redis.RedisServer;
import io.herald.testing.redis.RespClient;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The cache contract over TLS: a redis-server that listens on TLS only, with a throwaway CA the connection trusts
 * through {@code sslCaFile}; and the same server reached through {@code sslTrustStore}.
 */
class TlsRedisCacheTest extends CacheContract {

    private static RedisServer server;
    private static HaRedisConnection connection;

    @BeforeAll
    static void startRedis() {
        server = RedisServer.builder().tls().start();
        connection = TestConnections.started(TestConnections.tlsConfig("client", server));
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
    void the_values_really_went_over_tls_and_the_status_says_so() {
        newCache("node-x").save("over-tls", "yes");
        try (RespClient client = server.client()) {
            assertEquals("\"yes\"", client.callString("GET", "herald:cache:{over-tls}"));
            // every client of a TLS-only server is a TLS client; ours is among them, by its name
            assertTrue(client.callString("CLIENT", "LIST").contains("name=herald-client"));
        }
        HealthIndicator.Health health = ConnectionHealth.of(connection).health();
        assertEquals(HealthIndicator.Health.State.UP, health.state());
        assertEquals("127.0.0.1:" + server.port() + ", TLS", health.details().get("address"));
    }

    @Test
    void a_trust_store_works_as_well_as_a_ca_file() {
        Map<String, Object> config = TestConnections.standaloneConfig("tasks", server.host(), server.port());
        config.put("ssl", "true");
        config.put("sslTrustStore", server.tlsFiles().trustStore().toString());
        config.put(".sslTrustStorePassword", server.tlsFiles().trustStorePassword());
        try (HaRedisConnection viaTrustStore = TestConnections.started(config)) {
            assertEquals("PONG", viaTrustStore.execute(jedis -> jedis.ping()));
        }
    }
}
