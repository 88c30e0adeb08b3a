package io.herald.tasks.internal.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.herald.redis.RedisConnection;
import io.herald.redis.internal.RedisConnections;
import io.herald.testing.redis.RedisServer;
import io.herald.testing.redis.RespClient;

/** The contract and node-resque's layout on one real standalone redis-server. */
class StandaloneRedisResqueStoreTest extends RedisResqueStoreContract {

    private static RedisServer server;
    private static RedisConnections.Opened connection;

    @BeforeAll
    static void startRedis() {
        server = RedisServer.start();
        connection = StoreConnections.standalone(server);
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
    RedisConnection connection() {
        return connection;
    }

    @Override
    RespClient rawClient() {
        return server.client();
    }

    @Override
    void flushAll() {
        try (RespClient client = server.client()) {
            client.call("FLUSHALL");
        }
    }

    @Test
    void theNamespaceIsNodeResquesByDefaultAndConfigurable() {
        assertEquals("resque", new RedisResqueStore(connection).namespace());
        RedisResqueStore custom = new RedisResqueStore(connection, RedisStoreSettings.defaults().withNamespace("app"));
        assertEquals("app", custom.namespace());
        custom.enqueue("mail", J1);
        try (RespClient client = server.client()) {
            assertEquals(java.util.List.of(J1), client.callList("LRANGE", "app:queue:mail", "0", "-1"));
        }
        custom.set("lock:[x]*", "1", 0);
        assertEquals(java.util.Map.of("lock:[x]*", "1"), custom.scan("lock:*"));
    }
}
