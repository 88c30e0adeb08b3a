package io.herald.redis.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;

import io.herald.api.spi.ServerIdentity;

/**
 * The cluster bus over Redis with the development token: one WARN naming the Redis, the risk and how to set a token;
 * nothing with a real token. (RedisBundleInFelixTest sees the line with the core's own identity.)
 */
class PlaceholderTokenWarningTest {

    private final ListAppender<ILoggingEvent> log = new ListAppender<>();
    private final Logger logger = (Logger) LoggerFactory.getLogger(RedisClusterTransportComponent.class);

    /** An identity as the core publishes it, with or without the placeholder token. */
    private record Identity(boolean placeholderServerToken) implements ServerIdentity {
        @Override
        public String id() {
            return "node-a";
        }

        @Override
        public String version() {
            return "0.1.0";
        }

        @Override
        public String environment() {
            return "development";
        }

        @Override
        public Instant startedAt() {
            return Instant.EPOCH;
        }
    }

    @BeforeEach
    void captureLog() {
        log.start();
        logger.addAppender(log);
    }

    @AfterEach
    void releaseLog() {
        logger.detachAppender(log);
    }

    @Test
    void the_placeholder_token_over_redis_is_one_warning_naming_redis_and_the_fix() {
        try (HaRedisConnection client = new HaRedisConnection(ConnectionSettings.parse(
                TestConnections.standaloneConfig("client", "redis.example", 6390), "x"))) {
            assertTrue(RedisClusterTransportComponent.warnIfPlaceholderToken(new Identity(true), client,
                    LoggerFactory.getLogger(RedisClusterTransportComponent.class)));
        }
        assertEquals(1, log.list.size(), String.valueOf(log.list));
        ILoggingEvent warning = log.list.get(0);
        assertEquals(Level.WARN, warning.getLevel());
        String line = warning.getFormattedMessage();
        for (String part : List.of("redis.example:6390", "change-me", "any node that can reach this Redis can join",
                "HERALD_SERVER_TOKEN", ".serverToken in config/io.herald.core.cfg")) {
            assertTrue(line.contains(part), "'" + part + "' in: " + line);
        }
    }

    @Test
    void a_real_token_is_no_warning() {
        try (HaRedisConnection client = new HaRedisConnection(ConnectionSettings.parse(
                TestConnections.standaloneConfig("client", "redis.example", 6390), "x"))) {
            assertFalse(RedisClusterTransportComponent.warnIfPlaceholderToken(new Identity(false), client,
                    LoggerFactory.getLogger(RedisClusterTransportComponent.class)));
        }
        assertEquals(List.of(), log.list);
    }
}
