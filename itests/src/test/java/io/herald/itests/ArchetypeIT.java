package io.herald.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Starting a project, as the README's "Build and deploy your own bundle" says, word for word: its shell block is read
 * from README.md and run with {@code sh -e}, so the README cannot drift from what works. It generates a project from
 * {@code herald-action-archetype}, builds it with {@code mvn -B package} (whose two spec-helper tests must run: a pom
 * without Surefire 3 would silently run none), and drops the jar into {@code deploy/} of a running node of the built
 * distribution, whose {@code echo} then answers and whose {@code bin/herald bundles} lists the bundle ACTIVE, from that
 * jar. After a SIGKILL the node's leftover list is not taken for a running node.
 *
 * <p>Maven runs offline on this build's local repository ({@code mvn} on the block's PATH is a wrapper adding
 * {@code -o -Dmaven.repo.local=...}): the archetype and the BOM are the ones this build installed, and a build that
 * needed anything from the network fails here.
 */
class ArchetypeIT {

    private static final Path README = Path.of(System.getProperty("herald.readme", "../README.md")).toAbsolutePath();
    private static final Path REPOSITORY = Path.of(System.getProperty("herald.maven.repo.local",
            System.getProperty("user.home") + "/.m2/repository"));
    private static final String MVN = System.getProperty("herald.maven.home") == null ? "mvn"
            : Path.of(System.getProperty("herald.maven.home"), "bin", "mvn").toString();
    private static final String SECTION = "## Build and deploy your own bundle";

    @TempDir
    Path work;

    @Test
    void the_readmes_archetype_project_builds_runs_its_tests_and_answers_in_a_running_node() throws Exception {
        try (HeraldProcess node = HeraldProcess.start(Map.of())) {
            node.awaitStarted(Duration.ofSeconds(60));

            Run block = runReadmeBlock(node.home);

            assertEquals(0, block.exit(), block.output());
            Path project = work.resolve("my-actions");
            Path report = project.resolve("target/surefire-reports/TEST-com.example.actions.EchoTest.xml");
            assertTrue(Files.isRegularFile(report), "Surefire ran no test of the generated project:\n" + block.output());
            String testsuite = Files.readString(report);
            assertTrue(testsuite.matches("(?s).*<testsuite [^>]*tests=\"2\" [^>]*errors=\"0\" [^>]*skipped=\"0\" "
                    + "[^>]*failures=\"0\".*"), testsuite);
            assertTrue(Files.isRegularFile(node.home.resolve("deploy/my-actions.jar")), block.output());

            HttpResponse<String> echo = node.awaitStatus("/api/echo?message=hello", 200, Duration.ofSeconds(30));
            assertTrue(echo.body().startsWith("{\"message\":\"hello\""), echo.body());
            assertEquals(422, node.get("/api/echo").statusCode());

            Run bundles = herald(node.home, "bundles");
            assertEquals(0, bundles.exit(), bundles.output());
            assertTrue(bundles.output().startsWith("node "), bundles.output());
            Matcher row = Pattern.compile("(?m)^\\d+ +my-actions +1\\.0\\.0\\.\\S+ +ACTIVE +deploy/my-actions\\.jar$")
                    .matcher(bundles.output());
            assertTrue(row.find(), bundles.output());
            assertTrue(Pattern.compile("(?m)^\\d+ +io\\.herald\\.core +\\S+ +ACTIVE +bundle/herald-core-\\S+\\.jar$")
                    .matcher(bundles.output()).find(), bundles.output());
            // bin/herald records a class data cache at the exit of a node's JVM (herald-<jvm>.aot or .jsa): never at a
            // command's
            try (var files = Files.list(node.home.resolve("data"))) {
                List<String> caches = files.map(f -> f.getFileName().toString())
                        .filter(name -> name.startsWith("herald") && (name.endsWith(".jsa") || name.endsWith(".aot")))
                        .toList();
                assertEquals(List.of(), caches, "herald bundles recorded a class data cache");
            }

            // a bad day: the node is killed, its list stays behind, and is not taken for a running node
            node.killJvm();
            assertTrue(Files.exists(node.home.resolve("data/bundles.tsv")));
            Run afterKill = herald(node.home, "bundles");
            assertEquals(1, afterKill.exit(), afterKill.output());
            assertTrue(afterKill.output().contains("herald: no node is running with the data directory "
                    + node.home.resolve("data")), afterKill.output());
            assertTrue(afterKill.output().contains("not running: role all would install"), afterKill.output());
            assertTrue(Pattern.compile("(?m)^- +my-actions +1\\.0\\.0\\.\\S+ +- +deploy/my-actions\\.jar$")
                    .matcher(afterKill.output()).find(), afterKill.output());
        }
    }

    @Test
    void a_node_stopped_gracefully_leaves_no_list_behind() throws Exception {
        try (HeraldProcess node = HeraldProcess.start(Map.of())) {
            node.awaitStartedLine(Duration.ofSeconds(60));
            assertEquals(0, herald(node.home, "bundles").exit());

            node.signal("TERM");
            assertEquals(0, node.awaitExit(Duration.ofSeconds(40)), node.output());

            assertFalse(Files.exists(node.home.resolve("data/bundles.tsv")), "the list outlived its node");
            Run bundles = herald(node.home, "bundles");
            assertEquals(1, bundles.exit(), bundles.output());
            assertTrue(bundles.output().contains("herald: no node is running"), bundles.output());
        }
    }

    private record Run(int exit, String output) {
    }

    /** The README section's first {@code sh} block, run in {@link #work} with HERALD_HOME the node's home. */
    private Run runReadmeBlock(Path herald) throws Exception {
        String readme = Files.readString(README);
        int section = readme.indexOf(SECTION);
        assertTrue(section >= 0, "README.md has no section " + SECTION);
        int start = readme.indexOf("```sh\n", section);
        int end = readme.indexOf("\n```", start + 6);
        String block = readme.substring(start + 6, end + 1);
        assertTrue(block.contains("herald-action-archetype") && block.contains("mvn -B package"), block);
        // else an older archetype left in the local repository would be tested instead of this build's
        String version = System.getProperty("herald.version");
        assertTrue(version != null && block.contains("-DarchetypeVersion=" + version + " "),
                "README.md's archetype command does not name this build's version " + version + ":\n" + block);

        Path bin = Files.createDirectories(work.resolve(".bin"));
        Path mvn = bin.resolve("mvn");
        Files.writeString(mvn, "#!/bin/sh\nexec '" + MVN + "' -o -Dmaven.repo.local='" + REPOSITORY + "' \"$@\"\n");
        Files.setPosixFilePermissions(mvn, PosixFilePermissions.fromString("rwxr-xr-x"));

        ProcessBuilder builder = new ProcessBuilder("sh", "-e", "-c", block).directory(work.toFile());
        builder.environment().put("PATH", bin + ":" + System.getenv("PATH"));
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        builder.environment().put("HERALD_HOME", herald.toString());
        return run(builder, Duration.ofMinutes(5));
    }

    /** The distribution's bin/herald for the node's home, as an operator runs it next to the node. */
    private Run herald(Path home, String... args) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(prepend(HeraldProcess.HERALD.toString(), args));
        builder.environment().clear();
        builder.environment().putAll(HeraldProcess.environment(home, Map.of()));
        return run(builder, Duration.ofMinutes(1));
    }

    private static List<String> prepend(String first, String... rest) {
        List<String> all = new java.util.ArrayList<>(List.of(first));
        all.addAll(List.of(rest));
        return all;
    }

    private Run run(ProcessBuilder builder, Duration timeout) throws IOException, InterruptedException {
        Path log = Files.createTempFile(work, "run-", ".log");
        Process process = builder.redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly().waitFor();
            throw new AssertionError(builder.command() + " did not finish within " + timeout + ":\n"
                    + Files.readString(log));
        }
        return new Run(process.exitValue(), Files.readString(log));
    }
}
