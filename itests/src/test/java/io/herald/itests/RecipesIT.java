package io.herald.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import io.herald.testing.redis.RedisServer;

/**
 * The deployment recipes the distribution ships ({@code Procfile}, {@code recipes/systemd/herald.service},
 * {@code recipes/docker/}; walked through in {@code docs/deployment.md}), each tried here as far as this machine allows:
 * the Procfile's two processes run against a real Redis and share a job; the systemd unit passes
 * {@code systemd-analyze verify}; the Dockerfile's Java runtime, jlinked from its own module list, runs a node (no
 * Docker daemon here: the image itself is not built).
 */
class RecipesIT {

    private static final Duration START = Duration.ofSeconds(60);
    private static final Path RECIPES = HeraldProcess.DISTRIBUTION.resolve("recipes");
    private static final Path FIXTURE_JAR = Path.of(System.getProperty("herald.fixture.jar",
            "target/herald-itests-0.1.0-SNAPSHOT.jar")).toAbsolutePath();

    @Test
    void the_procfiles_web_and_worker_processes_share_a_job_through_redis() throws Exception {
        Map<String, String> processes = procfile(HeraldProcess.DISTRIBUTION.resolve("Procfile"));
        assertEquals(List.of("web", "worker"), new ArrayList<>(processes.keySet()));

        Path home = HeraldProcess.newHome(FIXTURE_JAR);
        int port = HeraldProcess.freePort();
        List<Process> started = new ArrayList<>();
        try (RedisServer redis = RedisServer.start()) {
            // What a platform gives each process: PORT to the web one, the add-on's REDIS_URL and the operator's token
            // to both.
            Map<String, String> env = Map.of("PORT", Integer.toString(port),
                    "REDIS_URL", "redis://" + redis.host() + ":" + redis.port(), "HERALD_SERVER_TOKEN", "recipes-token");
            for (Map.Entry<String, String> process : processes.entrySet()) {
                Path log = home.resolve("log/" + process.getKey() + ".out");
                // As Heroku runs a Procfile line: bash -c in the application's directory (bash runs a last simple command
                // in its own process, so TERM reaches bin/herald, which execs the JVM).
                ProcessBuilder builder = new ProcessBuilder(tool("bash", "bash"), "-c", process.getValue())
                        .directory(HeraldProcess.DISTRIBUTION.toFile()).redirectErrorStream(true)
                        .redirectOutput(log.toFile());
                builder.environment().clear();
                builder.environment().putAll(HeraldProcess.environment(home, env));
                started.add(builder.start());
            }
            HttpResponse<String> enqueued = awaitOk(port, "/api/enqueueRecord?n=77");
            assertTrue(enqueued.body().contains("\"enqueued\":true"), enqueued.body());

            Path records = home.resolve("records/recordJob.log");
            long deadline = System.nanoTime() + START.toNanos();
            while (!(Files.exists(records) && Files.readString(records).contains("n=77"))
                    && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            String done = Files.exists(records) ? Files.readString(records) : "";
            assertTrue(done.contains("n=77 node=worker"), "the worker process ran the web process's job: " + done
                    + "\n" + Files.readString(home.resolve("log/worker.out")));

            // TERM, as the platform stops a process: a graceful stop, exit 0.
            for (Process process : started) {
                process.destroy();
            }
            for (Process process : started) {
                assertTrue(process.waitFor(40, TimeUnit.SECONDS), "a Procfile process did not stop on TERM");
                assertEquals(0, process.exitValue(), "a Procfile process exits 0 on TERM\n"
                        + Files.readString(home.resolve("log/web.out")) + Files.readString(home.resolve("log/worker.out")));
            }
        } finally {
            for (Process process : started) {
                process.destroyForcibly();
            }
        }
    }

    @Test
    void the_systemd_unit_passes_systemd_analyze_verify_where_it_is_installed() throws Exception {
        Path unit = RECIPES.resolve("systemd/herald.service");
        String text = Files.readString(unit);
        assertTrue(text.contains("ExecStart=/opt/herald/bin/herald cluster --workers "), text);
        assertTrue(text.contains("ExecReload=/bin/kill -USR2 $MAINPID"), text);
        assertTrue(text.contains("Restart=on-failure"), text);

        // The unit as an operator installs it, but pointing at the built distribution instead of /opt/herald and at an
        // environment file of its own (verify checks the binaries and files it names; it does not look up users).
        Path directory = Files.createTempDirectory("herald-unit-");
        Path installed = directory.resolve("herald.service");
        Files.writeString(directory.resolve("default"), "HERALD_SERVER_TOKEN=unit-token\n");
        text = text.replace("/opt/herald", HeraldProcess.DISTRIBUTION.toString())
                .replace("/etc/default/herald", directory.resolve("default").toString());
        Files.writeString(installed, text);
        Process verify = new ProcessBuilder(tool("systemd-analyze", "systemd"), "verify", installed.toString())
                .redirectErrorStream(true).start();
        String output = new String(verify.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(verify.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, verify.exitValue(), output);
        assertEquals("", output.strip(), "no warning either");

        // The same tool does fail a broken unit, so the pass above means something.
        Files.writeString(installed, text.replace("bin/herald cluster", "bin/no-such-herald cluster"));
        Process broken = new ProcessBuilder(tool("systemd-analyze", "systemd"), "verify", installed.toString())
                .redirectErrorStream(true).start();
        String brokenOutput = new String(broken.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(broken.waitFor(60, TimeUnit.SECONDS));
        assertFalse(broken.exitValue() == 0 && brokenOutput.isBlank(), "verify noticed nothing: " + brokenOutput);
    }

    @Test
    void the_dockerfiles_runtime_has_every_module_the_jars_use_and_runs_a_node() throws Exception {
        Path dockerfile = RECIPES.resolve("docker/Dockerfile");
        String text = Files.readString(dockerfile);
        Matcher modules = Pattern.compile("jlink --add-modules (\\S+)").matcher(text);
        assertTrue(modules.find(), text);
        List<String> declared = Arrays.asList(modules.group(1).split(","));
        assertTrue(Pattern.compile("(?m)^USER herald$").matcher(text).find(), "the image runs without privileges");

        // What the jars need, as jdeps (of the JDK the image is built from: 25) reads them.
        Path jdk = jdk25();
        List<String> command = new ArrayList<>(List.of(jdk.resolve("bin/jdeps").toString(), "--multi-release", "25",
                "--ignore-missing-deps", "--print-module-deps", "-q"));
        for (String dir : List.of("lib", "bundle")) {
            try (Stream<Path> jars = Files.list(HeraldProcess.DISTRIBUTION.resolve(dir))) {
                jars.filter(jar -> jar.toString().endsWith(".jar")).sorted().forEach(jar -> command.add(jar.toString()));
            }
        }
        String needed = run(command).strip();
        TreeSet<String> missing = new TreeSet<>(Arrays.asList(needed.split(",")));
        missing.removeAll(declared);
        assertTrue(missing.isEmpty(), "the Dockerfile's jlink leaves out " + missing + " (jdeps: " + needed + ")");

        // The runtime the Dockerfile's first stage makes, with its flags, then a node on it.
        Matcher jlinkLine = Pattern.compile("RUN (jlink [^\\n]*\\\\\\n[^\\n]*)").matcher(text);
        assertTrue(jlinkLine.find(), text);
        Path runtime = Files.createTempDirectory("herald-jre-").resolve("jre");
        List<String> jlink = new ArrayList<>();
        for (String word : jlinkLine.group(1).replace("\\\n", " ").trim().split("\\s+")) {
            jlink.add(word.equals("/opt/jre") ? runtime.toString() : word);
        }
        jlink.set(0, jdk.resolve("bin/jlink").toString());
        run(jlink);

        Path home = HeraldProcess.newHome(HeraldProcess.EXAMPLE_JAR);
        try (HeraldProcess node = HeraldProcess.startIn(home, Map.of("JAVA_HOME", runtime.toString(),
                "HERALD_ENV", "production", "HERALD_SERVER_TOKEN", "recipes-token", "HERALD_TITLE", "jlinked"))) {
            node.awaitStarted(START);
            HttpResponse<String> echo = node.awaitStatus("/api/echo?message=jlinked", 200, START);
            assertTrue(echo.body().contains("\"message\":\"jlinked\""), echo.body());
            assertFalse(node.output().contains("NoClassDefFoundError") || node.output().contains("ClassNotFoundException"),
                    node.output());
            node.signal("TERM");
            assertEquals(0, node.awaitExit(START), node.output());
        }
    }

    @Test
    void the_compose_file_wires_nginx_to_the_web_nodes_socket_and_both_nodes_to_redis() throws Exception {
        Path compose = RECIPES.resolve("docker/compose.yaml");
        String text = Files.readString(compose);
        for (String service : List.of("redis:", "web:", "worker:", "nginx:")) {
            assertTrue(Pattern.compile("(?m)^  " + Pattern.quote(service) + "$").matcher(text).find(), service);
        }
        // nginx reads the shipped nginx/herald.conf, whose upstream is the socket the web service listens on.
        assertTrue(text.contains("- ../../nginx/herald.conf:/etc/nginx/conf.d/default.conf:ro"), text);
        assertTrue(Files.isRegularFile(compose.getParent().resolve("../../nginx/herald.conf").normalize()));
        String nginx = Files.readString(HeraldProcess.DISTRIBUTION.resolve("nginx/herald.conf"));
        Matcher upstream = Pattern.compile("server unix:(\\S+);").matcher(nginx);
        assertTrue(upstream.find(), nginx);
        Path nginxSocket = Path.of(upstream.group(1));
        assertTrue(text.contains("- socket:" + nginxSocket.getParent()), "nginx mounts the socket volume at "
                + nginxSocket.getParent());
        assertTrue(text.contains("PORT: /run/herald/" + nginxSocket.getFileName()), "the web node listens there");
        assertTrue(text.contains("- socket:/run/herald"), text);
        assertTrue(Files.readString(RECIPES.resolve("docker/Dockerfile")).contains("chown herald:herald /run/herald"),
                "the socket's directory belongs to the node's user");
        assertEquals(2, Pattern.compile("REDIS_HOST: redis").matcher(text).results().count(), text);
        assertEquals(2, Pattern.compile("HERALD_SERVER_TOKEN: \\$\\{HERALD_SERVER_TOKEN:\\?").matcher(text).results().count(),
                "production nodes refuse to start without the token: compose asks for it");
    }

    /** The Procfile's processes, in order: {@code name: command}, comments and blank lines left out. */
    private static Map<String, String> procfile(Path file) throws IOException {
        Map<String, String> processes = new LinkedHashMap<>();
        for (String line : Files.readAllLines(file)) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int colon = line.indexOf(':');
            assertTrue(colon > 0, "not a Procfile line: " + line);
            processes.put(line.substring(0, colon).trim(), line.substring(colon + 1).trim());
        }
        return processes;
    }

    private static HttpResponse<String> awaitOk(int port, String path) throws Exception {
        var http = java.net.http.HttpClient.newHttpClient();
        long deadline = System.nanoTime() + START.toNanos();
        HttpResponse<String> last = null;
        while (System.nanoTime() < deadline) {
            try {
                last = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + port + path))
                        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
                if (last.statusCode() == 200) {
                    return last;
                }
            } catch (IOException notYet) {
                // the web process is still starting
            }
            Thread.sleep(200);
        }
        throw new AssertionError(path + " did not answer 200 within " + START + "; last: "
                + (last == null ? "no answer" : last.statusCode() + " " + last.body()));
    }

    /** A tool on the PATH (or in /usr/bin, /bin); missing, the test fails naming the package .ci/run installs. */
    private static String tool(String name, String debianPackage) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            if (Files.isExecutable(Path.of(dir, name))) {
                return Path.of(dir, name).toString();
            }
        }
        throw new AssertionError(name + " is not installed: .ci/run installs it (apt-get install " + debianPackage + ")");
    }

    /** The JDK 25 the image is built from: the running JDK when it is 25 or later, else a Temurin 25 beside it. */
    private static Path jdk25() throws IOException {
        if (Runtime.version().feature() >= 25 && Files.isExecutable(Path.of(System.getProperty("java.home"), "bin/jlink"))) {
            return Path.of(System.getProperty("java.home"));
        }
        try (Stream<Path> jdks = Files.list(Path.of("/usr/lib/jvm"))) {
            return jdks.filter(dir -> dir.getFileName().toString().matches(".*-25(\\.[0-9.]*)?-jdk.*|.*-25-.*"))
                    .filter(dir -> Files.isExecutable(dir.resolve("bin/jlink"))).sorted().findFirst()
                    .orElseThrow(() -> new AssertionError("no JDK 25 in /usr/lib/jvm: the Dockerfile's runtime is"
                            + " jlinked from Java 25; install Temurin 25 there (the README's requirements)"));
        }
    }

    private static String run(List<String> command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(300, TimeUnit.SECONDS), String.join(" ", command));
        assertEquals(0, process.exitValue(), String.join(" ", command) + "\n" + output);
        return output;
    }
}
