package io.herald.launcher.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

/** Which bundles a node without Redis leaves out, and which staged configurations count as "Redis configured". */
class RedisSwitchTest {

    private static FeaturesFile parse(String features) throws ConfigException {
        String xml = "<features name=\"t\" xmlns=\"http://karaf.apache.org/xmlns/features/v1.6.0\">" + features + "</features>";
        return FeaturesFile.parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)), "features.xml");
    }

    private static List<String> locations(List<Feature.BundleSpec> bundles) {
        return bundles.stream().map(Feature.BundleSpec::location).toList();
    }

    private static final String FEATURES = """
            <feature name="core"><bundle start-level="2">mvn:g/json/1</bundle><bundle>mvn:g/core/1</bundle></feature>
            <feature name="herald-redis">
              <feature>core</feature>
              <bundle start-level="2">mvn:g/json/1</bundle>
              <bundle start-level="2">mvn:g/jedis/1</bundle>
              <bundle>mvn:g/redis/1</bundle>
            </feature>
            <feature name="web"><feature>core</feature><feature>herald-redis</feature><bundle>mvn:g/web/1</bundle></feature>
            <feature name="all"><feature>web</feature></feature>
            """;

    @Test
    void only_what_the_redis_feature_alone_brings_is_left_out() throws Exception {
        FeaturesFile file = parse(FEATURES);
        FeaturesFile.Resolution all = file.resolve("all");

        List<Feature.BundleSpec> redisOnly = RedisSwitch.featureOnlyBundles(file, all);

        // json is listed by core as well, so it stays.
        assertEquals(List.of("mvn:g/jedis/1", "mvn:g/redis/1"), locations(redisOnly));
        assertEquals(List.of("mvn:g/json/1", "mvn:g/core/1", "mvn:g/web/1"), locations(RedisSwitch.without(all, redisOnly)));
        assertEquals(locations(file.resolve("all", Set.of("herald-redis")).bundles()),
                locations(RedisSwitch.without(all, redisOnly)));
    }

    @Test
    void a_role_without_the_feature_or_the_feature_itself_leaves_nothing_out() throws Exception {
        FeaturesFile file = parse(FEATURES);

        assertEquals(List.of(), RedisSwitch.featureOnlyBundles(file, file.resolve("core")));
        assertEquals(List.of(), RedisSwitch.featureOnlyBundles(file, file.resolve("herald-redis")));
    }

    @Test
    void the_shipped_roles_leave_out_jedis_its_libraries_and_herald_redis() throws Exception {
        FeaturesFile file = FeaturesFile.read(Path.of(System.getProperty("herald.test.features")));

        for (String role : List.of("web", "worker", "all")) {
            List<String> artifacts = RedisSwitch.featureOnlyBundles(file, file.resolve(role)).stream()
                    .map(bundle -> MavenUrl.parse(bundle.location()).artifactId()).toList();
            assertEquals(List.of("commons-pool2", "gson", "json", "redis-authx-core", "jedis", "herald-redis"), artifacts,
                    role);
            List<String> kept = RedisSwitch.without(file.resolve(role), RedisSwitch.featureOnlyBundles(file, file.resolve(role)))
                    .stream().map(bundle -> MavenUrl.parse(bundle.location()).artifactId()).toList();
            assertTrue(kept.containsAll(List.of("org.apache.felix.scr", "herald-api", "herald-core", "jackson-databind")),
                    role + ": " + kept);
        }
    }

    @Test
    void a_connection_naming_a_host_sentinels_or_cluster_nodes_configures_redis() {
        assertEquals("io.herald.redis.connection-client (host)", RedisSwitch.configuredBy(Map.of(
                "io.herald.redis.connection-client", Map.of("mode", "auto", "host", "redis.local", "sentinels", ""))));
        assertEquals("io.herald.redis.connection-tasks (sentinels)", RedisSwitch.configuredBy(Map.of(
                "io.herald.redis.connection-tasks", Map.of("host", " ", "sentinels", "s1:26379"))));
        assertEquals("io.herald.redis.connection (clusterNodes)", RedisSwitch.configuredBy(Map.of(
                "io.herald.redis.connection", Map.of("clusterNodes", "n1:7000"))));
    }

    @Test
    void an_explicit_mode_configures_redis_so_that_the_bundle_reports_a_missing_address() {
        assertEquals("io.herald.redis.connection-client (mode standalone)", RedisSwitch.configuredBy(Map.of(
                "io.herald.redis.connection-client", Map.of("mode", "Standalone", "host", ""))));
    }

    @Test
    void the_shipped_connections_without_redis_variables_configure_nothing() {
        Map<String, String> unset = Map.of("name", "client", "mode", "auto", "host", "", "port", "", "sentinels", "",
                "masterName", "", "clusterNodes", "", "ssl", "false");
        assertNull(RedisSwitch.configuredBy(Map.of(
                "io.herald.core", Map.of("host", "not-a-redis-setting"),
                "io.herald.redis.connection-client", unset,
                "io.herald.redis.connection-subscriber", Map.of("mode", "auto"),
                "io.herald.redis.cache", Map.of("host", "ignored: not a connection"))));
        assertNull(RedisSwitch.configuredBy(Map.of()));
    }

    @Test
    void the_off_message_says_how_to_turn_redis_on() {
        String message = RedisSwitch.offMessage(6);

        assertTrue(message.startsWith("Redis is off: "), message);
        assertTrue(message.contains("herald-redis feature (6 bundles) is not installed"), message);
        assertTrue(message.contains("REDIS_HOST") && message.contains("REDIS_SENTINELS")
                && message.contains("REDIS_CLUSTER_NODES") && message.contains("io.herald.redis.connection-<name>.cfg"),
                message);
    }

    @Test
    void one_connection_is_found_by_its_name_key_or_its_file_name() {
        Map<String, Map<String, String>> staged = Map.of(
                "io.herald.redis.connection-client", Map.of("host", "h"),
                "io.herald.redis.connection-jobs", Map.of("name", "tasks", "sentinels", "s:1"),
                "io.herald.redis.connection-tasks", Map.of("host", ""));
        assertEquals("io.herald.redis.connection-jobs (sentinels)", RedisSwitch.configuredBy(staged, "tasks"));
        assertNull(RedisSwitch.configuredBy(Map.of("io.herald.redis.connection-client", Map.of("host", "h"),
                "io.herald.redis.connection-tasks", Map.of("host", " ")), "tasks"));
        assertEquals("io.herald.redis.connection-tasks (host)", RedisSwitch.configuredBy(
                Map.of("io.herald.redis.connection-tasks", Map.of("host", "h")), "tasks"));
        assertTrue(RedisSwitch.isConnection("io.herald.redis.connection-x"));
        assertFalse(RedisSwitch.isConnection("io.herald.redis.connections"));
    }
}
