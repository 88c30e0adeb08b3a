package io.herald.redis.osgi;

import static io.herald.core.osgi.EmbeddedFelix.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.osgi.framework.Constants;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.Configuration;

import io.herald.core.osgi.EmbeddedFelix;
import io.herald.testing.redis.RedisServer;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;

/**
 * The bundle as a node runs it: Felix with SCR and ConfigAdmin, Jedis and its dependencies as bundles, slf4j and the
 * DS and ConfigAdmin APIs from the class path (the core's {@link EmbeddedFelix}). A connection configuration that names
 * no Redis publishes nothing; one that names a server publishes the connection, its health and a Cache that outranks
 * the in-process one; deleting it withdraws them again; its password is a private key that no service property holds,
 * and the public spelling is refused. The test talks to the Herald services by name and reflection: their classes live
 * in the framework, not on this class path.
 */
class RedisBundleInFelixTest {

    private static final String CONNECTIONS = "io.herald.redis.connection";
    private static final String COMPONENT = "io.herald.redis.internal.RedisConnectionComponent";

    private static EmbeddedFelix felix;
    private static RedisServer redis;

    @BeforeAll
    static void startFelix() throws Exception {
        redis = RedisServer.start();
        System.setProperty("herald.title", "felix-test");
        felix = EmbeddedFelix.builder(Files.createTempDirectory("herald-redis-felix-"))
                .withScrAndConfigAdmin()
                .install("jackson-annotations", "jackson-core", "jackson-databind", "jackson-datatype-jsr310", "jackson-datatype-jdk8", "herald-api", "herald-core",
                        "commons-pool2", "gson", "json", "redis-authx-core", "jedis")
                .installClasses(Path.of("target/classes"))
                .start();
    }

    @AfterAll
    static void stopFelix() throws Exception {
        if (felix != null) {
            felix.close();
        }
        if (redis != null) {
            redis.close();
        }
        System.clearProperty("herald.title");
    }

    @Test
    void connections_and_the_cache_follow_the_configuration() throws Exception {
        Configuration notConfigured = felix.configureFactory(CONNECTIONS, "client",
                Map.of("name", "client", "host", "", "port", ""));
        Configuration other = felix.configureFactory(CONNECTIONS, "tasks", Map.of("name", "tasks", "host", "", "port", ""));
        await(() -> felix.references("io.herald.api.cache.Cache").size() == 1, "the in-process cache only");
        assertEquals(List.of(), felix.references("io.herald.redis.RedisConnection"), "nothing configured, nothing published");

        notConfigured.update(FrameworkUtil.asDictionary(Map.of("name", "client", "host", redis.host(), "port",
                String.valueOf(redis.port()))));
        await(() -> felix.references("io.herald.api.cache.Cache").size() == 2, "the Redis cache is published");
        ServiceReference<?> connection = felix.references("io.herald.redis.RedisConnection").get(0);
        assertEquals("client", connection.getProperty("herald.redis.connection"));
        // what DS and getServiceReference pick: the highest ranking (ServiceReference orders by it)
        ServiceReference<?> best = felix.references("io.herald.api.cache.Cache").stream().max((a, b) -> a.compareTo(b))
                .orElseThrow();
        assertEquals("redis", best.getProperty("herald.cache.store"), "the Redis cache outranks the in-process one");
        assertEquals(0, best.getProperty(Constants.SERVICE_RANKING));

        Object cache = felix.context().getService(best);
        Method save = cache.getClass().getMethod("save", String.class, Object.class);
        Method load = cache.getClass().getMethod("load", String.class, Class.class);
        save.setAccessible(true);
        load.setAccessible(true);
        save.invoke(cache, "osgi", "works");
        assertEquals(Optional.of("works"), load.invoke(cache, "osgi", String.class));
        assertEquals("felix-test", invoke(cache, "lockOwner"));
        felix.context().ungetService(best);
        await(() -> "UP".equals(health("redis.client")), "redis.client is UP in the health indicators");
        assertNull(health("redis.tasks"), "tasks names no Redis: no health entry");

        notConfigured.delete();
        await(() -> felix.references("io.herald.api.cache.Cache").size() == 1, "the Redis cache is withdrawn");
        assertEquals(List.of(), felix.references("io.herald.redis.RedisConnection"));
        other.delete();
    }

    @Test
    void the_redis_cluster_transport_exists_while_client_and_subscriber_connections_do() throws Exception {
        // slf4j and logback come from the class path, as in the launcher: the bundle logs to this very logger
        Logger transportLog = (Logger) org.slf4j.LoggerFactory.getLogger(
                "io.herald.redis.internal.RedisClusterTransportComponent");
        ListAppender<ILoggingEvent> log = new ListAppender<>();
        log.start();
        transportLog.addAppender(log);
        try {
            the_transport_follows_the_connections_and_warns_once_of_the_placeholder_token(log);
        } finally {
            transportLog.detachAppender(log);
        }
    }

    private void the_transport_follows_the_connections_and_warns_once_of_the_placeholder_token(
            ListAppender<ILoggingEvent> log) throws Exception {
        String address = String.valueOf(redis.port());
        Configuration client = felix.configureFactory(CONNECTIONS, "client",
                Map.of("name", "client", "host", redis.host(), "port", address));
        await(() -> !felix.references("io.herald.redis.RedisConnection").isEmpty(), "the client connection");
        assertEquals(List.of(), redisTransports(), "no subscriber yet: no Redis transport");

        Configuration subscriber = felix.configureFactory(CONNECTIONS, "subscriber",
                Map.of("name", "subscriber", "host", redis.host(), "port", address));
        await(() -> redisTransports().size() == 1, "the Redis transport is published");
        ServiceReference<?> transport = redisTransports().get(0);
        assertEquals(0, transport.getProperty(Constants.SERVICE_RANKING), "above the core's in-process transport (-1000)");
        // no io.herald.core configuration here: the core's serverToken is empty, a token every installation knows
        List<String> warnings = log.list.stream().map(ILoggingEvent::getFormattedMessage)
                .filter(line -> line.contains("serverToken")).toList();
        assertEquals(1, warnings.size(), String.valueOf(warnings));
        assertTrue(warnings.get(0).contains(redis.host() + ":" + redis.port())
                && warnings.get(0).contains("HERALD_SERVER_TOKEN"), warnings.get(0));

        subscriber.delete();
        await(() -> redisTransports().isEmpty(), "the transport is withdrawn");
        subscriber = felix.configureFactory(CONNECTIONS, "subscriber",
                Map.of("name", "subscriber", "host", redis.host(), "port", address));
        await(() -> redisTransports().size() == 1, "the Redis transport is published again");
        assertEquals(1, log.list.stream().filter(e -> e.getFormattedMessage().contains("serverToken")).count(),
                "warned once, not at every publication");

        subscriber.delete();
        await(() -> redisTransports().isEmpty(), "the transport is withdrawn");
        client.delete();
    }

    @Test
    void the_password_is_a_private_key_no_service_property_holds_and_the_public_key_is_refused() throws Exception {
        String password = "redis-s3cret-password";
        try (RedisServer secured = RedisServer.builder().password(password).start()) {
            Configuration configuration = felix.configureFactory(CONNECTIONS, "secured", Map.of("name", "secured",
                    "host", secured.host(), "port", String.valueOf(secured.port()), ".password", password));
            await(() -> "UP".equals(health("redis.secured")), "the connection authenticates with .password");
            assertEquals(List.of(), felix.servicePropertiesHolding(password));

            configuration.update(FrameworkUtil.asDictionary(Map.of("name", "secured", "host", secured.host(),
                    "port", String.valueOf(secured.port()), "password", password)));
            await(() -> felix.activationFailure(COMPONENT) != null, "the public key is refused");
            String failure = felix.activationFailure(COMPONENT);
            assertTrue(failure.contains("org.osgi.service.cm.ConfigurationException: password : is a secret")
                    && failure.contains("write .password instead"), failure);
            assertFalse(failure.contains(password), "the refusal does not print the secret");
            await(() -> health("redis.secured") == null, "the refused connection is withdrawn");
            assertEquals(List.of(), felix.servicePropertiesHolding(password));
            configuration.delete();
        }
    }

    /** The Redis transports only: the core's in-process one is always there. */
    private static List<ServiceReference<?>> redisTransports() {
        return felix.references("io.herald.api.spi.ClusterTransport").stream()
                .filter(r -> "redis".equals(r.getProperty("herald.cluster.transport"))).toList();
    }

    private static String health(String name) {
        for (ServiceReference<?> reference : felix.references("io.herald.api.spi.HealthIndicator")) {
            Object indicator = felix.context().getService(reference);
            try {
                Object health = invoke(indicator, "health");
                if (name.equals(invoke(health, "name"))) {
                    return String.valueOf(invoke(health, "state"));
                }
            } catch (ReflectiveOperationException e) {
                throw new AssertionError(e);
            } finally {
                felix.context().ungetService(reference);
            }
        }
        return null;
    }

    private static Object invoke(Object target, String method) throws ReflectiveOperationException {
        Method m = target.getClass().getMethod(method);
        m.setAccessible(true);
        return m.invoke(target);
    }
}
