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
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code herald bundles} reading what running nodes wrote ({@link BundleListing}): a node is running only while the
 * process that wrote its list lives; titled nodes of the same home are all listed; without any, it says so and lists
 * what the role would install. The list a real node writes is checked end to end by itests' {@code ArchetypeIT}.
 */
class BundlesCommandTest {

    @TempDir
    Path home;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private static final List<BundleListing.Row> ROWS = List.of(
            new BundleListing.Row(0, "org.apache.felix.framework", "7.0.5", "ACTIVE", "lib/org.apache.felix.framework-7.0.5.jar"),
            new BundleListing.Row(7, "io.herald.core", "0.1.0.SNAPSHOT", "ACTIVE", "bundle/herald-core-0.1.0-SNAPSHOT.jar"),
            new BundleListing.Row(41, "my-actions", "1.0.0.202612071101", "ACTIVE", "deploy/my-actions.jar"));

    private int bundles(Map<String, String> env, String... options) {
        String[] args = new String[options.length + 1];
        args[0] = "bundles";
        System.arraycopy(options, 0, args, 1, options.length);
        return new Launcher(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), env, home, home).execute(args);
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    private void listing(Path dataDir, long pid, String id) throws IOException {
        Files.createDirectories(dataDir);
        BundleListing.writeAtomically(dataDir.resolve(BundleListing.FILE), new BundleListing.Listing(
                new BundleListing.Node(pid, id, "all", Instant.parse("2026-12-07T11:02:03Z")), ROWS));
    }

    /** The pid of a process that has ended. */
    private static long deadPid() throws Exception {
        Process process = new ProcessBuilder("true").start();
        process.waitFor();
        return process.pid();
    }

    @Test
    void a_running_nodes_bundles_are_listed_with_version_state_and_jar() throws IOException {
        listing(home.resolve("data"), ProcessHandle.current().pid(), "web-0");

        int exit = bundles(Map.of());

        assertEquals(0, exit, err());
        assertEquals("""
                node web-0 (pid %d, role all, listed at 2026-12-07T11:02:03Z)
                ID  BUNDLE                      VERSION             STATE   FROM
                0   org.apache.felix.framework  7.0.5               ACTIVE  lib/org.apache.felix.framework-7.0.5.jar
                7   io.herald.core              0.1.0.SNAPSHOT      ACTIVE  bundle/herald-core-0.1.0-SNAPSHOT.jar
                41  my-actions                  1.0.0.202612071101  ACTIVE  deploy/my-actions.jar
                """.formatted(ProcessHandle.current().pid()), out());
        assertEquals("", err());
    }

    @Test
    void every_titled_node_of_the_home_is_listed_and_a_title_picks_one() throws IOException {
        long pid = ProcessHandle.current().pid();
        listing(home.resolve("data/nodes/web-1"), pid, "web-1");
        listing(home.resolve("data/nodes/web-2"), pid, "web-2");

        assertEquals(0, bundles(Map.of()), err());
        assertTrue(out().contains("node web-1 (pid ") && out().contains("node web-2 (pid "), out());

        out.reset();
        assertEquals(0, bundles(Map.of("HERALD_TITLE", "web-2")), err());
        assertFalse(out().contains("node web-1"), out());
        assertTrue(out().startsWith("node web-2 (pid "), out());
    }

    @Test
    void the_list_of_a_killed_node_is_not_taken_for_a_running_one() throws Exception {
        // a node ended by SIGKILL cannot delete its list: its process is gone, so it describes nothing
        listing(home.resolve("data"), deadPid(), "gone");
        features();

        int exit = bundles(Map.of());

        assertEquals(1, exit);
        assertFalse(out().contains("node gone"), out());
        assertTrue(err().contains("herald: no node is running with the data directory " + home.resolve("data")), err());
    }

    @Test
    void without_a_running_node_it_says_so_and_lists_what_the_role_would_install() throws Exception {
        features();
        Files.createDirectories(home.resolve("deploy"));
        Files.write(home.resolve("deploy/hello.jar"), TestBundles.jar("io.example.hello", "1.2.0", Map.of(), List.of()));
        Files.write(home.resolve("deploy/.half.jar.tmp"), new byte[] {1, 2, 3});

        int exit = bundles(Map.of());

        assertEquals(1, exit, err());
        assertTrue(err().startsWith("herald: no node is running with the data directory "), err());
        // install order (nested features first); hidden files of deploy/ (a copy under way) are not deployed
        assertEquals("""
                not running: role all would install (state unknown until a node starts)
                ID  BUNDLE            VERSION  STATE          FROM
                -   io.herald.test.b  2.0.0    IF-CONFIGURED  bundle/b-1.jar
                -   io.herald.test.a  1.0.0    -              bundle/a-1.jar
                -   io.example.hello  1.2.0    -              deploy/hello.jar
                """, out());
    }

    @Test
    void a_node_still_starting_is_named_as_such() throws Exception {
        features();
        Files.createDirectories(home.resolve("data"));
        // the lock file of a live process (this one), with no list yet: a node between its lock and "started"
        Files.writeString(home.resolve("data").resolve(DataDirLock.LOCK_FILE), Long.toString(ProcessHandle.current().pid()));

        int exit = bundles(Map.of());

        assertEquals(1, exit);
        assertTrue(err().contains("(pid " + ProcessHandle.current().pid() + ") is starting or stopping"), err());
    }

    @Test
    void an_unknown_role_is_a_config_error() throws Exception {
        features();

        int exit = bundles(Map.of(), "--role", "nope");

        assertEquals(1, exit);
        assertTrue(err().contains("herald: unknown role 'nope': "), err());
        assertEquals("", out());
    }

    @Test
    void bundles_takes_no_arguments() {
        assertEquals(1, bundles(Map.of(), "extra"));
        assertTrue(err().contains("unexpected argument extra after bundles"), err());
    }

    /** Role all: bundle a, and feature deferred (bundle b) that a bundle's install rule defers. */
    private void features() throws IOException {
        Files.createDirectories(home.resolve("bundle"));
        Files.write(home.resolve("bundle/a-1.jar"), TestBundles.jar("io.herald.test.a", "1.0.0", Map.of(), List.of()));
        Files.write(home.resolve("bundle/b-1.jar"), TestBundles.jar("io.herald.test.b", "2.0.0",
                Map.of("Herald-Install-When", "io.herald.test.b;filter:=\"(host=*)\""), List.of()));
        Files.createDirectories(home.resolve("features"));
        Files.writeString(home.resolve("features/herald-features.xml"), """
                <features name="test" xmlns="http://karaf.apache.org/xmlns/features/v1.6.0">
                  <feature name="deferred"><bundle>mvn:test/b/1</bundle></feature>
                  <feature name="all"><bundle>mvn:test/a/1</bundle><feature>deferred</feature></feature>
                </features>
                """);
    }
}
