package io.herald.redis.internal;

import io.herald.testing.redis.RedisServer;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The cluster bus contract through {@link RedisClusterTransport} over a TLS-only Redis. */
class TlsClusterBusTest extends RedisBusContract {

    private static RedisServer redis;

    @BeforeAll
    static void startRedis() {
        redis = RedisServer.builder().tls().start();
    }

    @AfterAll
    static void stopRedis() {
        redis.close();
    }

    @Override
    protected HaRedisConnection connect(String name) {
        return TestConnections.started(TestConnections.tlsConfig(name, redis));
    }
}
