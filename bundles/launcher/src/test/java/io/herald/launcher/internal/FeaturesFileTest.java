package io.herald.launcher.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class FeaturesFileTest {

    private static FeaturesFile parse(String features) throws ConfigException {
        String xml = "<features name=\"t\" xmlns=\"http://karaf.apache.org/xmlns/features/v1.6.0\">" + features + "</features>";
        return FeaturesFile.parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)), "features.xml");
    }

    private static List<String> locations(FeaturesFile.Resolution resolution) {
        return resolution.bundles().stream().map(Feature.BundleSpec::location).toList();
    }

    @Test
    void nested_features_come_first_and_bundles_are_not_repeated() throws Exception {
        FeaturesFile file = parse("""
                <feature name="runtime" version="1"><bundle start-level="1">mvn:g/scr/1</bundle></feature>
                <feature name="core" version="1">
                  <feature>runtime</feature>
                  <bundle start-level="2">mvn:g/jackson/1</bundle>
                  <bundle>mvn:g/core/1</bundle>
                </feature>
                <feature name="web" version="1"><feature>core</feature><bundle>mvn:g/web/1</bundle></feature>
                <feature name="all" version="1"><feature>web</feature><feature>core</feature><feature>runtime</feature></feature>
                """);

        FeaturesFile.Resolution all = file.resolve("all");

        assertEquals(List.of("mvn:g/scr/1", "mvn:g/jackson/1", "mvn:g/core/1", "mvn:g/web/1"), locations(all));
        assertEquals(List.of("runtime", "core", "web", "all"), all.features());
        assertEquals(List.of(1, 2, Feature.BundleSpec.DEFAULT_START_LEVEL, Feature.BundleSpec.DEFAULT_START_LEVEL),
                all.bundles().stream().map(Feature.BundleSpec::startLevel).toList());
    }

    @Test
    void start_false_and_unknown_elements() throws Exception {
        FeaturesFile file = parse("""
                <repository>mvn:g/other/1/xml/features</repository>
                <feature name="f" version="1" description="d">
                  <details>ignored</details>
                  <bundle start="false" start-level="2">mvn:g/lib/1</bundle>
                  <configfile finalname="etc/x.cfg">mvn:g/cfg/1/cfg</configfile>
                </feature>
                """);

        Feature.BundleSpec bundle = file.resolve("f").bundles().get(0);

        assertFalse(bundle.start());
        assertEquals(2, bundle.startLevel());
    }

    @Test
    void config_blocks_are_parsed_and_the_outer_feature_wins() throws Exception {
        FeaturesFile file = parse("""
                <feature name="inner" version="1">
                  <config name="io.herald.core">
                    # comment
                    a = inner
                    b = ${env:B:-inner}
                  </config>
                </feature>
                <feature name="outer" version="1">
                  <feature>inner</feature>
                  <config name="io.herald.core">a = outer</config>
                </feature>
                """);

        Map<String, Map<String, String>> configs = file.resolve("outer").configs();

        assertEquals(Map.of("io.herald.core", Map.of("a", "outer", "b", "${env:B:-inner}")), configs);
    }

    @Test
    void a_cycle_is_reported_with_its_path() throws Exception {
        FeaturesFile file = parse("""
                <feature name="a"><feature>b</feature></feature>
                <feature name="b"><feature>c</feature></feature>
                <feature name="c"><feature>a</feature></feature>
                """);

        ConfigException error = assertThrows(ConfigException.class, () -> file.resolve("a"));

        assertEquals("features.xml: features form a cycle: a -> b -> c -> a", error.getMessage());
    }

    @Test
    void unknown_features_are_named_with_who_needs_them() throws Exception {
        FeaturesFile file = parse("<feature name=\"web\"><feature>herald-missing</feature></feature>");

        assertEquals("features.xml: feature 'web' needs feature 'herald-missing', which is not defined",
                assertThrows(ConfigException.class, () -> file.resolve("web")).getMessage());
        assertEquals("features.xml: unknown feature 'nope' (defined: web)",
                assertThrows(ConfigException.class, () -> file.resolve("nope")).getMessage());
    }

    @Test
    void malformed_files_are_errors() {
        assertTrue(assertThrows(ConfigException.class, () -> parse("<feature name=\"a\">"))
                .getMessage().startsWith("features.xml:1: not a valid features file"));
        assertEquals("features.xml: feature 'a' is defined twice",
                assertThrows(ConfigException.class, () -> parse("<feature name=\"a\"/><feature name=\"a\"/>")).getMessage());
        assertEquals("features.xml: a <feature> has no name",
                assertThrows(ConfigException.class, () -> parse("<feature/>")).getMessage());
        assertEquals("features.xml: feature 'a': bundle mvn:g/a/1: start-level 'x' is not a number",
                assertThrows(ConfigException.class,
                        () -> parse("<feature name=\"a\"><bundle start-level=\"x\">mvn:g/a/1</bundle></feature>")).getMessage());
        assertEquals("features.xml: feature 'a': <bundle> is empty",
                assertThrows(ConfigException.class, () -> parse("<feature name=\"a\"><bundle/></feature>")).getMessage());
    }

    /** The shipped file: roles only aggregate, and each role has what it needs. */
    @Test
    void herald_roles() throws Exception {
        FeaturesFile file = FeaturesFile.read(Path.of(System.getProperty("herald.test.features")));

        List<String> web = artifacts(file.resolve("web"));
        List<String> worker = artifacts(file.resolve("worker"));
        List<String> all = artifacts(file.resolve("all"));

        assertTrue(web.containsAll(List.of("org.apache.felix.scr", "herald-core", "jetty-server", "herald-server-web")), web.toString());
        assertTrue(worker.containsAll(List.of("org.apache.felix.scr", "org.apache.felix.configadmin",
                "org.apache.felix.fileinstall", "herald-api", "herald-core", "jackson-databind")), worker.toString());
        assertFalse(worker.contains("herald-server-web"));
        assertTrue(all.containsAll(web) && all.containsAll(worker));
        for (String role : List.of("web", "worker", "all")) {
            assertTrue(file.feature(role).bundles().isEmpty(), role + " should only aggregate features");
        }
        assertTrue(file.resolve("herald-runtime").bundles().stream().allMatch(b -> b.startLevel() == 1));
    }

    private static List<String> artifacts(FeaturesFile.Resolution resolution) {
        return resolution.bundles().stream().map(b -> MavenUrl.parse(b.location()).artifactId()).toList();
    }
}
