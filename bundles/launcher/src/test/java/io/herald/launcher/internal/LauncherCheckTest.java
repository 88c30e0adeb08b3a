package io.herald.launcher.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.herald.launcher.testbundle.EchoCommand;

/**
 * {@code herald check} against a real home: Felix, SCR, ConfigAdmin and FileInstall from bundle/, plus small
 * generated bundles that resolve or not, and Declarative Services components that activate, fail or wait.
 */
class LauncherCheckTest {

    private static final List<String> RUNTIME = List.of("org.osgi.util.function", "org.osgi.util.promise",
            "org.apache.felix.configadmin", "org.apache.felix.scr", "org.apache.felix.fileinstall");

    @TempDir
    Path home;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @BeforeAll
    static void shortSettleTimeout() {
        // Only the unsatisfied-reference case waits the whole timeout; it need not be the production 5 s.
        System.setProperty("herald.settle.timeout", "1500");
    }

    @BeforeEach
    void distribution() throws IOException {
        Path bundles = Files.createDirectories(home.resolve("bundle"));
        Path source = Path.of(System.getProperty("herald.test.bundles"));
        for (String name : RUNTIME) {
            try (var files = Files.list(source)) {
                Path jar = files.filter(f -> f.getFileName().toString().startsWith(name + "-")).findFirst().orElseThrow();
                Files.copy(jar, bundles.resolve(name + "-1.jar"));
            }
        }
        Files.createDirectories(home.resolve("config"));
        StringBuilder runtime = new StringBuilder();
        RUNTIME.forEach(name -> runtime.append("<bundle start-level=\"1\">mvn:test/").append(name).append("/1</bundle>"));
        writeFeatures("""
                <feature name="runtime">%s</feature>
                <feature name="good"><feature>runtime</feature><bundle>mvn:test/good/1</bundle></feature>
                <feature name="unresolved"><feature>runtime</feature><bundle>mvn:test/broken/1</bundle></feature>
                <feature name="failing"><feature>runtime</feature><bundle>mvn:test/failing/1</bundle></feature>
                <feature name="waiting"><feature>runtime</feature><bundle>mvn:test/waiting/1</bundle></feature>
                <feature name="absent"><feature>runtime</feature><bundle>mvn:test/absent/1</bundle></feature>
                """.formatted(runtime));
    }

    private void writeFeatures(String features) throws IOException {
        Files.createDirectories(home.resolve("features"));
        Files.writeString(home.resolve("features/herald-features.xml"),
                "<features name=\"test\" xmlns=\"http://karaf.apache.org/xmlns/features/v1.6.0\">" + features + "</features>");
    }

    private int check(String role) {
        return command("check", "--role", role);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    /** A bundle with the given headers and Declarative Services descriptors (name to XML). */
    private void bundle(String file, String symbolicName, Map<String, String> headers, Map<String, String> components)
            throws IOException {
        Files.write(home.resolve("bundle").resolve(file),
                TestBundles.jar(symbolicName, "1.0.0", headers, List.copyOf(components.values())));
    }

    private static String component(String name, String attributes, String implementation, String body) {
        return TestBundles.component(name, attributes, implementation, body);
    }

    @Test
    void a_role_whose_components_start_passes() throws IOException {
        bundle("good-1.jar", "io.herald.test.good", Map.of(), Map.of(
                "plain", component("io.herald.test.plain", "immediate=\"true\"", "java.lang.Object", ""),
                "configured", component("io.herald.test.configured",
                        "immediate=\"true\" configuration-policy=\"require\" configuration-pid=\"io.herald.test.needed\"",
                        "java.lang.Object", ""),
                "switchedOff", component("io.herald.test.off",
                        "immediate=\"true\" configuration-policy=\"require\" configuration-pid=\"io.herald.test.absent\"",
                        "java.lang.Object", "")));
        Files.writeString(home.resolve("config/io.herald.test.needed.cfg"), "value = ${herald.home}\n");

        int exit = check("good");

        assertEquals(0, exit, err());
        String printed = out.toString(StandardCharsets.UTF_8);
        assertTrue(printed.startsWith(RuntimeLine.ofThisJvm() + System.lineSeparator() + "Herald " + Launcher.version()
                + " check passed: role=good env=development id=herald-check-"), printed);
        assertTrue(printed.contains(" bundles=6 in "), printed);
        assertFalse(Files.exists(home.resolve("data")), "check must not use the home's data directory");
    }

    @Test
    void an_unresolved_bundle_is_named_with_its_missing_requirement() throws IOException {
        bundle("broken-1.jar", "io.herald.test.broken",
                Map.of("Import-Package", "io.herald.nowhere;version=\"[1,2)\""), Map.of());

        int exit = check("unresolved");

        assertEquals(2, exit);
        assertTrue(err().contains("herald: role 'unresolved' did not start:"), err());
        assertTrue(err().contains("bundle io.herald.test.broken 1.0.0 (broken-1.jar) is INSTALLED (not resolved): "
                + "Unable to resolve io.herald.test.broken"), err());
        assertTrue(err().contains("osgi.wiring.package=io.herald.nowhere"), err());
    }

    @Test
    void a_component_that_fails_to_activate_is_named_with_its_failure() throws IOException {
        // Runtime has no public constructor: SCR cannot create the instance, as if activate had thrown.
        bundle("failing-1.jar", "io.herald.test.failing", Map.of(), Map.of(
                "failing", component("io.herald.test.failing", "immediate=\"true\"", "java.lang.Runtime", "")));

        int exit = check("failing");

        assertEquals(2, exit);
        assertTrue(err().contains("component io.herald.test.failing (bundle io.herald.test.failing) failed to activate: "), err());
    }

    @Test
    void a_component_missing_a_reference_is_named_with_the_reference() throws IOException {
        bundle("waiting-1.jar", "io.herald.test.waiting", Map.of(), Map.of(
                "waiting", component("io.herald.test.waiting", "immediate=\"true\"", "java.lang.Object",
                        "<reference name=\"runner\" interface=\"io.herald.test.Nothing\" cardinality=\"1..1\"/>")));

        int exit = check("waiting");

        assertEquals(2, exit);
        assertTrue(err().contains("component io.herald.test.waiting (bundle io.herald.test.waiting) is missing "
                + "reference 'runner' (io.herald.test.Nothing)"), err());
    }

    @Test
    void a_missing_bundle_file_is_named() {
        int exit = check("absent");

        assertEquals(2, exit);
        assertTrue(err().contains("bundle mvn:test/absent/1: file " + home.resolve("bundle/absent-1.jar") + " does not exist"), err());
    }

    /**
     * A role nesting a deferred feature (its bundle declares an install rule), whose bundle exports a package that
     * {@code user} imports as given.
     */
    private void roleWithDeferredFeature(String importHeader) throws IOException {
        StringBuilder runtime = new StringBuilder();
        RUNTIME.forEach(name -> runtime.append("<bundle start-level=\"1\">mvn:test/").append(name).append("/1</bundle>"));
        writeFeatures("""
                <feature name="runtime">%s</feature>
                <feature name="optional"><feature>runtime</feature><bundle>mvn:test/optional/1</bundle></feature>
                <feature name="role"><feature>runtime</feature><feature>optional</feature><bundle>mvn:test/user/1</bundle></feature>
                """.formatted(runtime));
        bundle("optional-1.jar", "io.herald.test.optional", Map.of("Export-Package", "io.herald.test.optionalapi;version=\"1.0\"",
                InstallRule.HEADER, "io.herald.test.optional;filter:=\"(host=*)\""), Map.of());
        bundle("user-1.jar", "io.herald.test.user", Map.of("Import-Package", importHeader), Map.of());
    }

    @Test
    void a_check_installs_a_deferred_feature_and_passes_when_the_rest_resolves_without_it() throws IOException {
        roleWithDeferredFeature("io.herald.test.optionalapi;version=\"[1,2)\";resolution:=optional");

        int exit = check("role");

        assertEquals(0, exit, err());
        String printed = out.toString(StandardCharsets.UTF_8);
        assertTrue(printed.contains(" bundles=7 in "), "the deferred feature is checked too, with no configuration matching its rule: "
                + printed);
    }

    @Test
    void a_check_fails_when_a_bundle_outside_a_deferred_feature_needs_it_to_resolve() throws IOException {
        roleWithDeferredFeature("io.herald.test.optionalapi;version=\"[1,2)\"");

        int exit = check("role");

        assertEquals(2, exit, err());
        assertTrue(err().contains("herald:   bundle io.herald.test.user (user-1.jar) needs osgi.wiring.package="
                + "io.herald.test.optionalapi from io.herald.test.optional of feature optional, which a node leaves out while"
                + " no configuration matches its install rule"), err());
    }

    @Test
    void unknown_role_and_invalid_config_exit_1_with_one_line() throws IOException {
        assertEquals(1, check("nope"));
        assertTrue(err().startsWith("herald: config error: unknown role 'nope': "), err());

        err.reset();
        Files.writeString(home.resolve("config/io.herald.core.cfg"), "serverToken = ${env:HERALD_TEST_SURELY_UNSET}\n");
        assertEquals(1, check("runtime"));
        assertEquals(1, err().lines().count(), err());
        assertTrue(err().startsWith("herald: config error: " + home.resolve("config/io.herald.core.cfg")
                + ": key serverToken: environment variable HERALD_TEST_SURELY_UNSET is not set"), err());
    }

    /** A role whose bundle provides the command {@code echo it} ({@code EchoCommand}). */
    private void roleWithCommand() throws IOException {
        StringBuilder runtime = new StringBuilder();
        RUNTIME.forEach(name -> runtime.append("<bundle start-level=\"1\">mvn:test/").append(name).append("/1</bundle>"));
        writeFeatures("""
                <feature name="runtime">%s</feature>
                <feature name="commands"><feature>runtime</feature><bundle>mvn:test/echo/1</bundle></feature>
                """.formatted(runtime));
        Files.write(home.resolve("bundle/echo-1.jar"), TestBundles.jar("io.herald.test.echo", "1.0.0",
                Map.of("Import-Package", "io.herald.launcher.spi;version=\"[1.1,2)\",org.osgi.framework"),
                List.of(component("io.herald.test.echo", "activate=\"activate\"", EchoCommand.class.getName(),
                        "<service><provide interface=\"io.herald.launcher.spi.Command\"/></service>"
                                + "<property name=\"herald.command\" value=\"echo  it\"/>")),
                List.of(EchoCommand.class)));
    }

    private int command(String... args) {
        Launcher launcher = new Launcher(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), Map.of(), home, home);
        return launcher.execute(args);
    }

    @Test
    void a_command_of_a_bundle_runs_on_the_role_started_headless_and_prints_what_it_printed() throws IOException {
        roleWithCommand();

        int exit = command("echo", "it", "--role", "commands", "now", "--x", "y");

        assertEquals(0, exit, err());
        assertEquals("args=[now, --x, y] herald.command=echo it now ready=false\n", out.toString(StandardCharsets.UTF_8));
        assertEquals("", err());
        assertFalse(Files.exists(home.resolve("data")), "a command never touches the node's data directory");
    }

    @Test
    void a_commands_problems_are_printed_under_its_name_and_its_exit_code_is_the_processs() throws IOException {
        roleWithCommand();

        assertEquals(3, command("echo", "it", "--fail", "--role", "commands"));

        assertEquals("herald: echo it: refused [--fail]\nherald: echo it: and said why\n", err());
        assertEquals("", out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void a_command_no_bundle_provides_is_refused_naming_those_there_are() throws IOException {
        roleWithCommand();
        System.setProperty("herald.command.timeout", "200");
        try {
            assertEquals(1, command("frob", "--role", "commands"));
        } finally {
            System.clearProperty("herald.command.timeout");
        }

        assertEquals("herald: unknown command 'frob': no bundle of role 'commands' or of deploy/ provides it (commands:"
                + " echo it; see: herald help)\n", err());
    }
}
