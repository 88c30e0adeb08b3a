package io.herald.tasks.interop;

import io.herald.testing.redis.RedisServer;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/**
 * What every interop test class stands on: one redis-server per class, flushed before each test, node-resque's scripts
 * and raw reads against it, and a Herald node on it unless the class says it needs none.
 */
abstract class InteropTest {

    /** As JSON.parse orders it: index-like keys first, ascending; Herald must write the params back in this order. */
    static final String TRICKY_PARAMS = "{\"s\":\"a/é ü\",\"n\":1.5,\"i\":10000000000,"
            + "\"nested\":{\"1\":\"y\",\"2\":\"x\"},\"list\":[true,null,0.1]}";

    // started per class run, not in a static initializer: Surefire re-runs a failed test in this JVM after the class
    // finished, and that run needs a server again
    static RedisServer REDIS;

    NodeResque node;
    RawRedis redis;
    HeraldNode herald;

    @BeforeAll
    static void startRedis() {
        REDIS = RedisServer.start();
    }

    @AfterAll
    static void stopRedis() {
        if (REDIS != null) {
            REDIS.close();
        }
    }

    /** Whether the tests of this class need a Herald node. */
    boolean withHerald() {
        return true;
    }

    @BeforeEach
    void connect() {
        node = NodeResque.against(REDIS);
        redis = new RawRedis(REDIS);
        redis.flushAll();
        herald = withHerald() ? HeraldNode.against(REDIS) : null;
    }

    @AfterEach
    void disconnect() {
        try {
            if (herald != null) {
                herald.close();
            }
        } finally {
            if (redis != null) {
                redis.close();
            }
        }
    }
}
