package io.herald.redis.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;

import io.herald.api.cache.CacheUnavailableException;
import io.herald.api.spi.HealthIndicator;
import io.herald.redis.RedisConnection;
import io.herald.redis.RedisUnavailableException;
import io.herald.testing.Await;
import io.herald.testing.redis.RedisServer;

/**
 * A wrong host or a wrong password: the connection is DOWN with a log line naming it and the cause, commands fail at
 * once with the documented error, and it recovers by itself when Redis comes back.
 */
class BadConfigTest {

    private final ListAppender<ILoggingEvent> log = new ListAppender<>();
    private final Logger connectionLogger = (Logger) LoggerFactory.getLogger(HaRedisConnection.class);

    @BeforeEach
    void captureLog() {
        log.start();
        connectionLogger.addAppender(log);
    }

    @AfterEach
    void releaseLog() {
        connectionLogger.detachAppender(log);
    }

    @Test
    void nothing_listening_is_down_with_a_clear_line_and_recovers_when_redis_starts_there() {
        try (RedisServer server = RedisServer.start()) {
            int port = server.port();
            server.stop();
            Map<String, Object> config = TestConnections.standaloneConfig("client", server.host(), port);
            try (HaRedisConnection connection = new HaRedisConnection(ConnectionSettings.parse(config, "x"))) {
                connection.start();
                Await.until(() -> connection.lastError() != null, "the first attempt failed");
                assertEquals(RedisConnection.State.DOWN, connection.state());
                List<String> lines = lines();
                assertEquals(1, lines.size(), "one line: " + lines);
                assertTrue(lines.get(0).contains("'client'") && lines.get(0).contains(":" + port)
                        && lines.get(0).contains("DOWN") && lines.get(0).contains("Connection refused"), lines.get(0));
                HealthIndicator.Health health = ConnectionHealth.of(connection).health();
                assertEquals("redis.client", health.name());
                assertEquals(HealthIndicator.Health.State.DOWN, health.state());

                RedisCache cache = new RedisCache(connection, "node", TestConnections.MAPPER);
                CacheUnavailableException e = assertThrows(CacheUnavailableException.class,
                        () -> cache.save("k", "v"));
                assertTrue(e.getCause() instanceof RedisUnavailableException, String.valueOf(e.getCause()));
                assertTrue(e.getMessage().contains("'client'"), e.getMessage());

                server.restart();
                Await.until(() -> connection.state() == RedisConnection.State.CONNECTED,
                        "the connection recovered by itself");
                cache.save("k", "v");
                assertEquals("v", cache.load("k", String.class).orElseThrow());
                assertEquals(HealthIndicator.Health.State.UP, ConnectionHealth.of(connection).health().state());
                assertTrue(lines().get(lines().size() - 1).contains("CONNECTED"), String.valueOf(lines()));
            }
        }
    }

    @Test
    void a_wrong_password_is_down_with_the_cause() {
        try (RedisServer server = RedisServer.builder().password("right-password").start()) {
            Map<String, Object> config = TestConnections.standaloneConfig("tasks", server.host(), server.port());
            config.put(".password", "wrong-password");
            try (HaRedisConnection connection = new HaRedisConnection(ConnectionSettings.parse(config, "x"))) {
                connection.start();
                Await.until(() -> connection.lastError() != null, "the first attempt failed");
                assertEquals(RedisConnection.State.DOWN, connection.state());
                assertTrue(connection.lastError().contains("WRONGPASS"), connection.lastError());
                RedisUnavailableException e = assertThrows(RedisUnavailableException.class,
                        () -> connection.execute(jedis -> jedis.ping()));
                assertTrue(e.getMessage().contains("'tasks'") && e.getMessage().contains("WRONGPASS"), e.getMessage());
                // The supervisor records the error before it logs the line: wait for the line, not only the error.
                Await.until(() -> lines().stream().anyMatch(l -> l.contains("'tasks'") && l.contains("WRONGPASS")),
                        "the DOWN line names the connection and the cause");
            }
        }
    }

    private List<String> lines() {
        return log.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
    }
}
