package io.herald.redis.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;

import io.herald.redis.RedisConnection;
import io.herald.redis.RedisUnavailableException;
import io.herald.testing.Await;
import io.herald.testing.redis.RedisServer;

/**
 * TLS that cannot work fails the way a wrong host does: DOWN after the first attempt, one log line that names the
 * connection and the TLS cause, commands failing at once with it; never a hang.
 */
class TlsFailureTest {

    private static RedisServer tlsServer;
    private static RedisServer plainServer;

    private final ListAppender<ILoggingEvent> log = new ListAppender<>();
    private final Logger connectionLogger = (Logger) LoggerFactory.getLogger(HaRedisConnection.class);

    @BeforeAll
    static void startRedis() {
        tlsServer = RedisServer.builder().tls().start();
        plainServer = RedisServer.start();
    }

    @AfterAll
    static void stopRedis() {
        if (tlsServer != null) {
            tlsServer.close();
        }
        if (plainServer != null) {
            plainServer.close();
        }
    }

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
    void tls_to_a_plain_port_is_down_naming_the_handshake() {
        Map<String, Object> config = TestConnections.standaloneConfig("client", plainServer.host(), plainServer.port());
        config.put("ssl", "true");
        config.put("sslCaFile", tlsServer.tlsFiles().caCertificate().toString());
        // the plain server waits for the end of a command line that never comes: the socket timeout ends it
        assertDownWith(config, "TLS handshake failed: no answer within socketTimeoutMillis");
    }

    @Test
    void a_server_certificate_from_an_untrusted_ca_is_down_naming_the_trust() {
        Map<String, Object> config = TestConnections.standaloneConfig("client", tlsServer.host(), tlsServer.port());
        config.put("ssl", "true");
        assertDownWith(config, "TLS handshake failed: the server's certificate is not trusted");
    }

    @Test
    void a_certificate_for_another_host_name_is_down_unless_host_names_are_not_checked() {
        // the certificate names IP:127.0.0.1 only
        Map<String, Object> config = TestConnections.standaloneConfig("client", "localhost", tlsServer.port());
        config.put("ssl", "true");
        config.put("sslCaFile", tlsServer.tlsFiles().caCertificate().toString());
        assertDownWith(config, "does not name the host dialled (No name matching localhost found)");

        config.put("sslVerifyHostname", "false");
        try (HaRedisConnection connection = TestConnections.started(config)) {
            assertEquals("PONG", connection.execute(jedis -> jedis.ping()));
        }
    }

    private void assertDownWith(Map<String, Object> config, String cause) {
        try (HaRedisConnection connection = new HaRedisConnection(ConnectionSettings.parse(config, "x"))) {
            connection.start();
            Await.until(() -> connection.lastError() != null, "the first attempt failed");
            assertEquals(RedisConnection.State.DOWN, connection.state());
            assertTrue(connection.lastError().contains(cause), connection.lastError());
            // the supervisor keeps trying (each attempt bounded by the socket timeout): still that one line
            Await.until(() -> connection.consecutiveFailures() >= 3, "three attempts failed");
            List<String> lines = lines();
            assertEquals(1, lines.size(), "one line: " + lines);
            assertTrue(lines.get(0).contains("'client'") && lines.get(0).contains("DOWN")
                    && lines.get(0).contains(cause), lines.get(0));
            RedisUnavailableException e = assertThrows(RedisUnavailableException.class,
                    () -> connection.execute(jedis -> jedis.ping()));
            assertTrue(e.getMessage().contains(cause), e.getMessage());
        }
        log.list.clear();
    }

    private List<String> lines() {
        return log.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
    }
}
