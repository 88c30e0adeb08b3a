package io.herald.redis.internal;

import io.herald.testing.redis.RedisServer;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The cluster bus contract over a standalone Redis. */
class RedisClusterBusTest extends RedisBusContract {

    private static RedisServer redis;

    @BeforeAll
    static void startRedis() {
        redis = RedisServer.start();
    }

    @AfterAll
    static void stopRedis() {
        redis.close();
    }

    @Override
    protected HaRedisConnection connect(String name) {
        return TestConnections.standalone(name, redis);
    }
}
