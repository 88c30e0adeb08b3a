package io.herald.redis.osgi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.launch.FrameworkFactory;

import io.herald.testing.redis.RedisServer;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;

/**
 * The bundle as a node runs it: Felix with SCR and ConfigAdmin, Jedis and its dependencies as bundles, slf4j from the
 * class path. A connection configuration that names no Redis publishes nothing; one that names a server publishes the
 * connection, its health and a Cache that outranks the in-process one; deleting it withdraws them again. The test
 * talks to the framework's services by name and reflection: their classes live in the framework, not on this class
 * path.
 */
class RedisBundleInFelixTest {

    private static final List<String> BUNDLES = List.of("org.osgi.util.function", "org.osgi.util.promise",
            "org.osgi.service.component-", "org.apache.felix.scr", "org.apache.felix.configadmin",
            "jackson-annotations", "jackson-core", "jackson-databind", "herald-api", "herald-core-",
            "commons-pool2", "gson", "json-", "redis-authx-core", "jedis");

    private static Framework framework;
    private static BundleContext context;
    private static RedisServer redis;
    private static Path storage;

    @BeforeAll
    static void startFelix() throws Exception {
        redis = RedisServer.start();
        storage = Files.createTempDirectory("herald-redis-felix-");
        System.setProperty("herald.home", storage.toString());
        System.setProperty("herald.title", "felix-test");
        Map<String, String> properties = new HashMap<>();
        properties.put(Constants.FRAMEWORK_STORAGE, storage.resolve("cache").toString());
        properties.put(Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT);
        // as the launcher: slf4j from the class path at both versions (Jedis imports [1.7,2), osgi-stack-notes P4)
        properties.put(Constants.FRAMEWORK_SYSTEMPACKAGES_EXTRA, "org.slf4j;version=2.0.17,org.slf4j;version=1.7.36,"
                + "org.slf4j.spi;version=2.0.17,org.slf4j.event;version=2.0.17,org.slf4j.helpers;version=2.0.17,"
                + "org.slf4j.helpers;version=1.7.36");
        properties.put("felix.service.urlhandlers", "false");
        framework = ServiceLoader.load(FrameworkFactory.class).iterator().next().newFramework(properties);
        framework.init();
        context = framework.getBundleContext();
        List<Bundle> installed = new ArrayList<>();
        for (String name : BUNDLES) {
            installed.add(context.installBundle(new File(jarOf(name)).toURI().toString()));
        }
        // this module's classes with the manifest bnd wrote: the tests run before the jar is packaged
        installed.add(context.installBundle("reference:" + Path.of("target/classes").toAbsolutePath().toUri()));
        framework.start();
        for (Bundle bundle : installed) {
            if (bundle.getHeaders().get(Constants.FRAGMENT_HOST) == null) {
                bundle.start();
            }
        }
        for (Bundle bundle : installed) {
            assertEquals(Bundle.ACTIVE, bundle.getState(), bundle.getSymbolicName() + " is active");
        }
    }

    @AfterAll
    static void stopFelix() throws Exception {
        if (framework != null) {
            framework.stop();
            framework.waitForStop(TimeUnit.SECONDS.toMillis(30));
        }
        if (redis != null) {
            redis.close();
        }
    }

    @Test
    void connections_and_the_cache_follow_the_configuration() throws Exception {
        Object notConfigured = createFactoryConfiguration("client", Map.of("name", "client", "host", "", "port", ""));
        Object other = createFactoryConfiguration("tasks", Map.of("name", "tasks", "host", "", "port", ""));
        awaitTrue(() -> references("io.herald.api.cache.Cache").size() == 1, "the in-process cache only");
        assertEquals(List.of(), references("io.herald.redis.RedisConnection"), "nothing configured, nothing published");

        update(notConfigured, Map.of("name", "client", "host", redis.host(), "port", String.valueOf(redis.port())));
        awaitTrue(() -> references("io.herald.api.cache.Cache").size() == 2, "the Redis cache is published");
        ServiceReference<?> connection = references("io.herald.redis.RedisConnection").get(0);
        assertEquals("client", connection.getProperty("herald.redis.connection"));
        // what DS and getServiceReference pick: the highest ranking (ServiceReference orders by it)
        ServiceReference<?> best = references("io.herald.api.cache.Cache").stream().max((a, b) -> a.compareTo(b))
                .orElseThrow();
        assertEquals("redis", best.getProperty("herald.cache.store"), "the Redis cache outranks the in-process one");
        assertEquals(0, best.getProperty(Constants.SERVICE_RANKING));

        Object cache = context.getService(best);
        Method save = cache.getClass().getMethod("save", String.class, Object.class);
        Method load = cache.getClass().getMethod("load", String.class, Class.class);
        save.setAccessible(true);
        load.setAccessible(true);
        save.invoke(cache, "osgi", "works");
        assertEquals(Optional.of("works"), load.invoke(cache, "osgi", String.class));
        assertEquals("felix-test", invoke(cache, "lockOwner"));
        context.ungetService(best);
        awaitTrue(() -> "UP".equals(health("redis.client")), "redis.client is UP in the health indicators");
        assertNull(health("redis.tasks"), "tasks names no Redis: no health entry");

        invoke(notConfigured, "delete");
        awaitTrue(() -> references("io.herald.api.cache.Cache").size() == 1, "the Redis cache is withdrawn");
        assertEquals(List.of(), references("io.herald.redis.RedisConnection"));
        invoke(other, "delete");
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
        Object client = createFactoryConfiguration("client", Map.of("name", "client", "host", redis.host(), "port", address));
        awaitTrue(() -> !references("io.herald.redis.RedisConnection").isEmpty(), "the client connection");
        assertEquals(List.of(), redisTransports(), "no subscriber yet: no Redis transport");

        Object subscriber = createFactoryConfiguration("subscriber",
                Map.of("name", "subscriber", "host", redis.host(), "port", address));
        awaitTrue(() -> redisTransports().size() == 1, "the Redis transport is published");
        ServiceReference<?> transport = redisTransports().get(0);
        assertEquals(0, transport.getProperty(Constants.SERVICE_RANKING), "above the core's in-process transport (-1000)");
        // no io.herald.core configuration here: the core's serverToken is empty, a token every installation knows
        List<String> warnings = log.list.stream().map(ILoggingEvent::getFormattedMessage)
                .filter(line -> line.contains("serverToken")).toList();
        assertEquals(1, warnings.size(), String.valueOf(warnings));
        assertTrue(warnings.get(0).contains(redis.host() + ":" + redis.port())
                && warnings.get(0).contains("HERALD_SERVER_TOKEN"), warnings.get(0));

        invoke(subscriber, "delete");
        awaitTrue(() -> redisTransports().isEmpty(), "the transport is withdrawn");
        subscriber = createFactoryConfiguration("subscriber",
                Map.of("name", "subscriber", "host", redis.host(), "port", address));
        awaitTrue(() -> redisTransports().size() == 1, "the Redis transport is published again");
        assertEquals(1, log.list.stream().filter(e -> e.getFormattedMessage().contains("serverToken")).count(),
                "warned once, not at every publication");

        invoke(subscriber, "delete");
        awaitTrue(() -> redisTransports().isEmpty(), "the transport is withdrawn");
        invoke(client, "delete");
    }

    /** The Redis transports only: the core's in-process one is always there. */
    private static List<ServiceReference<?>> redisTransports() {
        return references("io.herald.api.spi.ClusterTransport").stream()
                .filter(r -> "redis".equals(r.getProperty("herald.cluster.transport"))).toList();
    }

    private static String health(String name) {
        for (ServiceReference<?> reference : references("io.herald.api.spi.HealthIndicator")) {
            Object indicator = context.getService(reference);
            try {
                Object health = invoke(indicator, "health");
                if (name.equals(invoke(health, "name"))) {
                    return String.valueOf(invoke(health, "state"));
                }
            } catch (ReflectiveOperationException e) {
                throw new AssertionError(e);
            } finally {
                context.ungetService(reference);
            }
        }
        return null;
    }

    private static Object createFactoryConfiguration(String name, Map<String, String> values) throws Exception {
        // ConfigAdmin 1.9 registers its service from a background thread once its persistence is ready
        awaitTrue(() -> !references("org.osgi.service.cm.ConfigurationAdmin").isEmpty(), "ConfigurationAdmin runs");
        ServiceReference<?> reference = references("org.osgi.service.cm.ConfigurationAdmin").get(0);
        Object admin = context.getService(reference);
        Object configuration = admin.getClass().getMethod("getFactoryConfiguration", String.class, String.class,
                String.class).invoke(admin, "io.herald.redis.connection", name, null);
        update(configuration, values);
        return configuration;
    }

    private static void update(Object configuration, Map<String, String> values) throws Exception {
        Dictionary<String, Object> properties = new Hashtable<>(values);
        Method update = configuration.getClass().getMethod("update", Dictionary.class);
        update.setAccessible(true);
        update.invoke(configuration, properties);
    }

    private static Object invoke(Object target, String method) throws ReflectiveOperationException {
        Method m = target.getClass().getMethod(method);
        m.setAccessible(true);
        return m.invoke(target);
    }

    /** Every service of the type: the test's own class path has none of these classes, so no class-space filter. */
    private static List<ServiceReference<?>> references(String type) {
        try {
            ServiceReference<?>[] found = context.getAllServiceReferences(type, null);
            return found == null ? List.of() : List.of(found);
        } catch (InvalidSyntaxException impossible) {
            throw new AssertionError(impossible);
        }
    }

    private static String jarOf(String prefix) {
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            String file = Path.of(entry).getFileName().toString();
            if (file.startsWith(prefix) && file.endsWith(".jar") && !file.contains("-tests")) {
                return entry;
            }
        }
        throw new IllegalStateException("no jar starting with " + prefix + " on the test class path");
    }

    private static void awaitTrue(Supplier<Boolean> condition, String what) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.get()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not true within 30 s: " + what);
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for: " + what);
            }
        }
    }
}
