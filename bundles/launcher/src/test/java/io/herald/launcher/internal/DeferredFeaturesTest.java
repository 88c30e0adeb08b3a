package io.herald.launcher.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;
import org.osgi.framework.Constants;

/**
 * Features a node installs only once its configuration needs them: the rule a bundle declares in its manifest, which
 * bundles a node leaves out, and installing them into a running framework when an edit makes the rule match.
 */
class DeferredFeaturesTest {

    private static final String RULE = "io.herald.test.conn;filter:=\"(|(host=*)(&(mode=*)(!(mode~=auto))))\"";

    private static final String FEATURES = """
            <feature name="core"><bundle start-level="2">mvn:g/json/1</bundle><bundle>mvn:g/core/1</bundle></feature>
            <feature name="optional">
              <feature>core</feature>
              <bundle start-level="2">mvn:g/json/1</bundle>
              <bundle start-level="2">mvn:g/client/1</bundle>
              <bundle>mvn:g/optional/1</bundle>
            </feature>
            <feature name="web"><feature>core</feature><feature>optional</feature><bundle>mvn:g/web/1</bundle></feature>
            <feature name="all"><feature>web</feature></feature>
            """;

    @TempDir
    Path bundleDir;

    private RoleFramework role;

    @AfterEach
    void stop() throws Exception {
        if (role != null) {
            role.framework().stop();
            role.framework().waitForStop(30_000);
        }
    }

    private static FeaturesFile parse(String features) throws ConfigException {
        String xml = "<features name=\"t\" xmlns=\"http://karaf.apache.org/xmlns/features/v1.6.0\">" + features + "</features>";
        return FeaturesFile.parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)), "features.xml");
    }

    private static List<String> locations(List<Feature.BundleSpec> bundles) {
        return bundles.stream().map(Feature.BundleSpec::location).toList();
    }

    /** {@code bundle/<artifact>-1.jar}, a bundle named {@code test.<artifact>} with these headers. */
    private void bundle(String artifact, Map<String, String> headers) throws Exception {
        Files.write(bundleDir.resolve(artifact + "-1.jar"), TestBundles.jar("test." + artifact, "1.0.0", headers, List.of()));
    }

    private void shippedLike() throws Exception {
        for (String artifact : List.of("json", "core", "client", "web")) {
            bundle(artifact, Map.of());
        }
        bundle("optional", Map.of(InstallRule.HEADER, RULE));
    }

    @Test
    void the_feature_whose_bundle_declares_a_rule_is_deferred_with_the_bundles_only_it_brings() throws Exception {
        shippedLike();
        FeaturesFile file = parse(FEATURES);
        FeaturesFile.Resolution all = file.resolve("all");

        List<DeferredFeatures.Deferred> deferred = DeferredFeatures.of(file, all, bundleDir);

        assertEquals(1, deferred.size(), deferred.toString());
        DeferredFeatures.Deferred optional = deferred.get(0);
        assertEquals("optional", optional.feature());
        assertEquals("test.optional", optional.declaredBy());
        // json is listed by core as well, so it stays.
        assertEquals(List.of("mvn:g/client/1", "mvn:g/optional/1"), locations(optional.bundles()));
        assertEquals(List.of("mvn:g/json/1", "mvn:g/core/1", "mvn:g/web/1"),
                locations(DeferredFeatures.without(all.bundles(), deferred)));
        assertEquals(List.of(), DeferredFeatures.of(file, file.resolve("core"), bundleDir), "a role without it");
        assertEquals(List.of(), DeferredFeatures.of(file, file.resolve("optional"), bundleDir), "the feature as the role");
    }

    @Test
    void a_rule_matches_staged_configurations_of_its_pid_with_blank_values_unset() throws Exception {
        InstallRule rule = InstallRule.parse(RULE, "test");

        assertNull(rule.matchedBy(Map.of()));
        assertNull(rule.matchedBy(Map.of(
                "io.herald.test.conn-a", Map.of("host", " ", "mode", "auto"),
                "io.herald.test.conn-b", Map.of("mode", " AUTO "),
                "io.herald.test.connections", Map.of("host", "not this PID"),
                "io.herald.other", Map.of("host", "nor this one"))));
        assertEquals("io.herald.test.conn-b", rule.matchedBy(Map.of(
                "io.herald.test.conn-a", Map.of("host", ""), "io.herald.test.conn-b", Map.of("host", "h"))));
        assertEquals("io.herald.test.conn", rule.matchedBy(Map.of("io.herald.test.conn", Map.of("mode", "Standalone"))));
        // the PIDs as Configuration Admin gives them
        InstallRule factory = InstallRule.parse("p;filter:=\"(&(service.factoryPid=p)(service.pid=p~tasks))\"", "test");
        InstallRule single = InstallRule.parse("p;filter:=\"(&(service.pid=p)(!(service.factoryPid=*)))\"", "test");

        assertEquals("p-tasks", factory.matchedBy(Map.of("p-tasks", Map.of())));
        assertNull(factory.matchedBy(Map.of("p", Map.of())));
        assertEquals("p", single.matchedBy(Map.of("p", Map.of())));
        assertNull(single.matchedBy(Map.of("p-tasks", Map.of())));
    }

    @Test
    void a_malformed_rule_names_the_bundle() {
        assertEquals("bundle x: Herald-Install-When '(host=*)' is not <pid>;filter:=\"<filter>\"",
                assertThrows(ConfigException.class, () -> InstallRule.parse("(host=*)", "bundle x")).getMessage());
        assertTrue(assertThrows(ConfigException.class, () -> InstallRule.parse("p;filter:=\"(host=*\"", "bundle x"))
                .getMessage().startsWith("bundle x: Herald-Install-When has an invalid filter: "));
    }

    @Test
    void a_left_out_feature_is_installed_into_the_running_node_once_an_edit_matches_its_rule() throws Exception {
        shippedLike();
        FeaturesFile file = parse(FEATURES);
        FeaturesFile.Resolution all = file.resolve("all");
        List<DeferredFeatures.Deferred> deferrable = DeferredFeatures.of(file, all, bundleDir);
        Map<String, Map<String, String>> unset = Map.of("io.herald.test.conn-a", Map.of("host", ""));
        List<DeferredFeatures.Deferred> leftOut = DeferredFeatures.unmatched(deferrable, unset);
        assertEquals(deferrable, leftOut);
        role = RoleFramework.init(Map.of(
                Constants.FRAMEWORK_STORAGE, bundleDir.resolve("cache").toString(),
                Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT,
                Constants.FRAMEWORK_BEGINNING_STARTLEVEL, "4"), new FrameworkLog());
        role.install(bundleDir, DeferredFeatures.without(all.bundles(), leftOut));
        assertTrue(role.start(30_000));
        DeferredFeatures features = new DeferredFeatures(leftOut, role, bundleDir);

        features.onStaged(unset);
        assertEquals(List.of("test.json", "test.core", "test.web"), symbolicNames());

        features.onStaged(Map.of("io.herald.test.conn-a", Map.of("host", "h")));
        assertEquals(List.of("test.json", "test.core", "test.web", "test.client", "test.optional"), symbolicNames());
        assertTrue(role.roleBundles().stream().allMatch(bundle -> bundle.getState() == Bundle.ACTIVE));
        assertEquals(List.of(), role.bundleProblems());

        features.onStaged(Map.of("io.herald.test.conn-b", Map.of("host", "h")));
        assertEquals(5, role.roleBundles().size(), "installed once");
    }

    private List<String> symbolicNames() {
        return role.roleBundles().stream().map(Bundle::getSymbolicName).toList();
    }

    @Test
    void the_shipped_roles_defer_jedis_its_libraries_and_herald_redis_to_its_rule() throws Exception {
        FeaturesFile file = FeaturesFile.read(Path.of(System.getProperty("herald.test.features")));

        for (String role : List.of("web", "worker", "all")) {
            List<String> artifacts = DeferredFeatures.featureOnlyBundles(file, file.resolve(role), "herald-redis").stream()
                    .map(bundle -> MavenUrl.parse(bundle.location()).artifactId()).toList();
            assertEquals(List.of("commons-pool2", "gson", "json", "redis-authx-core", "jedis", "herald-redis"), artifacts,
                    role);
        }
    }
}
