package io.herald.testing.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

class RedisServerTest {

    @AfterAll
    static void leaves_no_redis_server_running() {
        assertEquals(List.of(), RedisChildren.running());
    }

    @Test
    void starts_on_a_free_loopback_port_and_serves_commands() {
        try (RedisServer redis = RedisServer.start(); RespClient client = redis.client()) {
            assertEquals("127.0.0.1", redis.host());
            assertNotEquals(6379, redis.port());
            assertNull(redis.password());
            assertEquals("PONG", client.ping());
            assertEquals("OK", client.call("SET", "greeting", "héllo wörld"));
            assertEquals("héllo wörld", client.call("GET", "greeting"));
            assertNull(client.call("GET", "missing"));
            assertEquals(2L, client.call("RPUSH", "queue", "a", "b"));
            assertEquals(List.of("a", "b"), client.call("LRANGE", "queue", "0", "-1"));
            RespException notANumber = assertThrows(RespException.class, () -> client.call("INCR", "greeting"));
            assertEquals("ERR", notANumber.code());
            // no persistence, and DEBUG allowed for local clients (tests freeze servers with DEBUG SLEEP)
            assertEquals(Map.of("save", ""), client.callMap("CONFIG", "GET", "save"));
            assertEquals(Map.of("appendonly", "no"), client.callMap("CONFIG", "GET", "appendonly"));
            assertEquals("OK", client.call("DEBUG", "SLEEP", "0"));
            assertEquals("master", client.info("replication").get("role"));
        }
    }

    @Test
    void kill_and_stop_then_restart_on_the_same_port_with_an_empty_database() {
        try (RedisServer redis = RedisServer.start()) {
            int port = redis.port();
            try (RespClient client = redis.client()) {
                client.call("SET", "k", "v");
            }

            redis.kill();
            assertFalse(redis.isRunning());
            assertThrows(UncheckedIOException.class, () -> RespClient.connect(redis.address()));

            redis.restart();
            assertTrue(redis.isRunning());
            assertEquals(port, redis.port());
            try (RespClient client = redis.client()) {
                assertEquals("PONG", client.ping());
                assertNull(client.call("GET", "k"));
                client.call("SET", "k", "again");
            }

            redis.stop();
            assertFalse(redis.isRunning());
            redis.restart();
            try (RespClient client = redis.client()) {
                assertNull(client.call("GET", "k"));
            }
            assertEquals(port, redis.port());
        }
    }

    @Test
    void a_password_is_required_when_set() {
        try (RedisServer redis = RedisServer.builder().password("s3cret \"pass\"").start()) {
            assertEquals("s3cret \"pass\"", redis.password());
            try (RespClient anonymous = RespClient.connect(redis.address())) {
                RespException refused = assertThrows(RespException.class, () -> anonymous.call("GET", "k"));
                assertEquals("NOAUTH", refused.code());
            }
            RespException wrong = assertThrows(RespException.class,
                    () -> RespClient.connect(redis.address(), "wrong"));
            assertEquals("WRONGPASS", wrong.code());
            try (RespClient client = redis.client()) {
                assertEquals("PONG", client.ping());
            }
            redis.kill();
            redis.restart();
            try (RespClient client = RespClient.connect(redis.address(), "s3cret \"pass\"")) {
                assertEquals("PONG", client.ping());
            }
        }
    }

    @Test
    void extra_config_directives_override_the_defaults() {
        try (RedisServer redis = RedisServer.builder().config("maxmemory-policy", "allkeys-lru")
                .config("notify-keyspace-events", "KEA").start(); RespClient client = redis.client()) {
            assertEquals("allkeys-lru", client.callMap("CONFIG", "GET", "maxmemory-policy").get("maxmemory-policy"));
            assertEquals("AKE", client.callMap("CONFIG", "GET", "notify-keyspace-events").get("notify-keyspace-events"));
        }
    }

    @Test
    void servers_side_by_side_get_their_own_ports_and_directories() {
        try (RedisServer first = RedisServer.start(); RedisServer second = RedisServer.start()) {
            assertNotEquals(first.port(), second.port());
            assertNotEquals(first.directory(), second.directory());
            try (RespClient one = first.client(); RespClient two = second.client()) {
                one.call("SET", "who", "first");
                assertNull(two.call("GET", "who"));
            }
        }
    }

    @Test
    void close_stops_the_process_and_deletes_the_directory() {
        RedisServer redis = RedisServer.start();
        Path directory = redis.directory();
        assertTrue(Files.isRegularFile(directory.resolve("redis/redis.conf")));

        redis.close();
        assertFalse(redis.isRunning());
        assertFalse(Files.exists(directory));
        assertThrows(UncheckedIOException.class, () -> RespClient.connect(redis.address()));
        redis.close();
        assertThrows(IllegalStateException.class, redis::restart);
    }

    @Test
    void tls_serves_only_clients_that_trust_its_throwaway_ca_and_survives_a_restart() throws Exception {
        try (RedisServer redis = RedisServer.builder().password("s3cret").tls().start()) {
            assertTrue(redis.isTls());
            TlsFiles tls = redis.tlsFiles();
            for (Path file : List.of(tls.caCertificate(), tls.certificate(), tls.privateKey(), tls.trustStore())) {
                assertTrue(Files.isRegularFile(file) && file.startsWith(redis.directory()), file.toString());
            }
            assertTrue(Files.readString(tls.privateKey()).startsWith("-----BEGIN PRIVATE KEY-----"));
            try (RespClient client = redis.client()) {
                assertEquals("OK", client.call("SET", "k", "over TLS"));
                assertEquals("over TLS", client.call("GET", "k"));
                assertEquals(String.valueOf(redis.port()), client.callMap("CONFIG", "GET", "tls-port").get("tls-port"));
                assertEquals("0", client.callMap("CONFIG", "GET", "port").get("port"), "no plain port");
            }
            // a plain client: the server drops it at its first bytes (not a TLS ClientHello)
            try (RespClient plain = RespClient.connect(redis.address(), null)) {
                assertThrows(UncheckedIOException.class, plain::ping);
            } catch (UncheckedIOException refusedAtOnce) {
                // also fine: reset before the client got to send
            }
            // a TLS client that trusts only the JVM's default CAs refuses the throwaway certificate
            UncheckedIOException untrusted = assertThrows(UncheckedIOException.class, () -> RespClient.connect(
                    redis.address(), "s3cret", RespClient.DEFAULT_TIMEOUT,
                    (javax.net.ssl.SSLSocketFactory) javax.net.ssl.SSLSocketFactory.getDefault()));
            assertTrue(untrusted.getCause() instanceof javax.net.ssl.SSLHandshakeException, String.valueOf(untrusted));
            // another server's CA is no use either
            try (RedisServer other = RedisServer.builder().tls().start()) {
                assertThrows(UncheckedIOException.class, () -> RespClient.connect(redis.address(), "s3cret",
                        RespClient.DEFAULT_TIMEOUT, other.tlsFiles().socketFactory()));
            }

            redis.kill();
            redis.restart();
            try (RespClient client = redis.client()) {
                assertEquals("PONG", client.ping());
            }
        }
    }

    @Test
    void a_plain_server_has_no_tls_files() {
        try (RedisServer redis = RedisServer.start()) {
            assertFalse(redis.isTls());
            assertThrows(IllegalStateException.class, redis::tlsFiles);
        }
    }
}
