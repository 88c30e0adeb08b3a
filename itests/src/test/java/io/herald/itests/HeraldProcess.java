package io.herald.itests;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * The built distribution ({@code distribution/target/herald}) running as a real process: its {@code bin/herald start}
 * with a home of its own ({@code PROJECT_ROOT}, see {@link #newHome}) and the environment a test chooses.
 *
 * <p>A test node never runs in the distribution directory, nor in a copy of it: a user who follows the README's
 * quickstart runs a node there, with a jar in its {@code deploy/}, a pidfile, a lock and {@code data/}, and a later
 * {@code mvn install} must see none of it. So a node's home holds only what a deployment owns, made fresh, and the
 * distribution provides {@code bin/}, {@code lib/}, {@code bundle/} and {@code features/}, read-only (the launcher
 * takes {@code bundle/} and {@code features/} from the distribution when the home has none).
 */
final class HeraldProcess implements AutoCloseable {

    static final Path DISTRIBUTION = Path.of(System.getProperty("herald.distribution", "../distribution/target/herald"))
            .toAbsolutePath().normalize();
    /** The distribution's {@code bin/herald}: every node and command of these tests runs it. */
    static final Path HERALD = DISTRIBUTION.resolve("bin/herald");
    /**
     * The configuration a home starts with: the repository's {@code config/}, which the distribution ships as it is.
     * Not the distribution's copy, where a user's added files (an overlay, a connection) survive the next build.
     */
    static final Path SHIPPED_CONFIG = Path.of(System.getProperty("herald.config.source", "../config"))
            .toAbsolutePath().normalize();
    static final Path EXAMPLE_JAR = findExampleJar();

    /** What a test node inherits from the environment the build runs in; everything else is the test's choice. */
    private static final List<String> INHERITED = List.of("PATH", "HOME", "USER", "LANG", "LC_ALL", "TZ", "TMPDIR");

    final Path home;
    final int port;
    final Path log;
    private final Process process;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private HeraldProcess(Path home, int port, Process process, Path log) {
        this.home = home;
        this.port = port;
        this.process = process;
        this.log = log;
    }

    /** Starts a node in a {@link #newHome new home} with these environment variables (see {@link #startIn}). */
    static HeraldProcess start(Map<String, String> env, String... args) throws IOException {
        return startIn(newHome(), env, args);
    }

    /**
     * Starts the distribution's {@code bin/herald} (with {@code args}, else {@code start}) for {@code home}: PORT (a
     * free one unless {@code env} gives it) and PROJECT_ROOT are set for you, see {@link #environment}. A PORT that is a
     * unix socket path (it contains {@code /}) is passed on as it is; the process then has no {@link #port} ({@code
     * -1}): the test reaches it through its own client of the socket (an nginx in front, {@code NginxIT}).
     */
    static HeraldProcess startIn(Path home, Map<String, String> env, String... args) throws IOException {
        String requested = env.get("PORT");
        boolean unixSocket = requested != null && requested.contains("/");
        int port = unixSocket ? -1 : requested != null ? Integer.parseInt(requested) : freePort();
        Map<String, String> environment = new HashMap<>(env);
        environment.put("PORT", unixSocket ? requested : Integer.toString(port));
        Path log = Files.createTempFile(home, "process-", ".log");
        List<String> command = new java.util.ArrayList<>(List.of(HERALD.toString()));
        command.addAll(args.length == 0 ? List.of("start") : List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().clear();
        builder.environment().putAll(environment(home, environment));
        return new HeraldProcess(home, port, builder.start(), log);
    }

    /**
     * A new home for one node, in a temporary directory: {@code config/} (a copy of {@link #SHIPPED_CONFIG}, the test
     * may edit it), empty {@code deploy/}, {@code pids/}, {@code log/} and {@code data/}, and {@code deployed} already
     * in {@code deploy/} (so FileInstall installs them with its first scan, and never sees a jar half copied).
     */
    static Path newHome(Path... deployed) throws IOException {
        if (!Files.isRegularFile(HERALD)) {
            throw new IllegalStateException("no distribution at " + DISTRIBUTION + ": build it with mvn install");
        }
        Path home = Files.createTempDirectory("herald-it-");
        copyTree(SHIPPED_CONFIG, home.resolve("config"));
        for (String dir : List.of("deploy", "pids", "log", "data")) {
            Files.createDirectory(home.resolve(dir));
        }
        for (Path jar : deployed) {
            Files.copy(jar, home.resolve("deploy").resolve(jar.getFileName()));
        }
        return home;
    }

    /**
     * The whole environment of a process run for {@code home}: {@code env}, PROJECT_ROOT, JAVA_HOME (the JDK that runs
     * the tests, as the distribution's build checks use) and the few {@link #INHERITED} variables. Nothing else of the
     * build's environment: a variable the README documents (HERALD_DATA, HERALD_CONFIG, REDIS_HOST, ...) exported in
     * the shell that runs {@code mvn install} must not change what a test node does.
     */
    static Map<String, String> environment(Path home, Map<String, String> env) {
        // A test may point PROJECT_ROOT elsewhere under the home (a symbolic link to a release, as deploy scripts do).
        Path root = Path.of(env.getOrDefault("PROJECT_ROOT", home.toString())).toAbsolutePath().normalize();
        if (root.startsWith(DISTRIBUTION) || home.toAbsolutePath().normalize().startsWith(DISTRIBUTION)) {
            throw new IllegalArgumentException(root + " is inside the distribution " + DISTRIBUTION
                    + ": a test node runs in a home of its own (HeraldProcess.newHome)");
        }
        Map<String, String> environment = new HashMap<>();
        for (String name : INHERITED) {
            String value = System.getenv(name);
            if (value != null) {
                environment.put(name, value);
            }
        }
        environment.put("JAVA_HOME", System.getProperty("java.home"));
        environment.put("HERALD_API_KEYS", ADMIN_KEY);
        environment.putAll(env);
        environment.put("PROJECT_ROOT", root.toString());
        return environment;
    }

    /** The secret of the admin API key every test node has, unless its test sets HERALD_API_KEYS. */
    static final String ADMIN_SECRET = "itest-admin-" + UUID.randomUUID();

    /** The admin key's entry: status details and the resque:* actions need the admin role. */
    static final String ADMIN_KEY = "itest-admin:" + ADMIN_SECRET + ":admin";

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** Polls until {@code /api/status} answers 200. */
    void awaitStarted(Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError("herald exited with " + process.exitValue() + ":\n" + output());
            }
            try {
                if (get("/api/status").statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(50);
        }
        throw new AssertionError("herald did not answer on port " + port + " within " + timeout + ":\n" + output());
    }

    /** A GET as the admin ({@link #ADMIN_SECRET}), as most tests read status details. */
    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(10)).header("X-API-Key", ADMIN_SECRET)
                .GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A GET without credentials, as an anonymous client sends it. */
    HttpResponse<String> getAnonymous(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(10)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** A request built by the test, sent as it is. */
    HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return http.send(request.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A POST as the admin. */
    HttpResponse<String> post(String path, String contentType, HttpRequest.BodyPublisher body)
            throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(10)).header("Content-Type", contentType)
                .header("X-API-Key", ADMIN_SECRET).POST(body).build(), HttpResponse.BodyHandlers.ofString());
    }

    URI uri(String path) {
        if (port < 0) {
            throw new IllegalStateException("this node listens on a unix socket, not on a TCP port");
        }
        return URI.create("http://127.0.0.1:" + port + path);
    }

    /** Waits until the launcher reports the node started (every component settled), with or without HTTP. */
    void awaitStartedLine(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!output().contains(" started: role=")) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                throw new AssertionError("herald did not report a start:\n" + output());
            }
            Thread.sleep(50);
        }
    }

    /** Polls {@code path} until it answers {@code status}, and returns that response. */
    HttpResponse<String> awaitStatus(String path, int status, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        HttpResponse<String> last = null;
        while (System.nanoTime() < deadline) {
            last = get(path);
            if (last.statusCode() == status) {
                return last;
            }
            Thread.sleep(50);
        }
        throw new AssertionError(path + " still answered " + (last == null ? "nothing" : last.statusCode() + " " + last.body())
                + " after " + timeout);
    }

    /** Sends a signal to the launcher's JVM (bin/herald execs java, so the pid is the JVM's). */
    void signal(String name) throws IOException, InterruptedException {
        new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start().waitFor();
    }

    /** Waits for the process to exit and returns its exit code. */
    int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("herald did not exit within " + timeout);
        }
        return process.exitValue();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** The process id: the JVM's, since bin/herald execs java. */
    long pid() {
        return process.pid();
    }

    /**
     * SIGKILL to the node's JVM ({@link Process#destroyForcibly} is SIGKILL on Unix): nothing is stopped, no hook runs.
     * Checks first that the process is the JVM, not a shell wrapping it (bin/herald execs java).
     */
    void killJvm() throws InterruptedException {
        String command = process.info().command().orElse("");
        if (!command.endsWith("/java")) {
            throw new AssertionError("pid " + process.pid() + " is not a JVM but " + command
                    + ": a SIGKILL would leave the node running");
        }
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new AssertionError("the JVM " + process.pid() + " outlived SIGKILL for 30 s");
        }
    }

    String output() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(no output: " + e.getMessage() + ")";
        }
    }

    /**
     * Drops a bundle into deploy/ the safe way: copy to a name deploy/ ignores (not *.jar), then rename, so FileInstall
     * never reads a jar still being written.
     */
    Path deploy(Path jar) throws IOException {
        Path temp = home.resolve("deploy").resolve(jar.getFileName() + ".tmp-copy");
        Files.copy(jar, temp, StandardCopyOption.REPLACE_EXISTING);
        return Files.move(temp, home.resolve("deploy").resolve(jar.getFileName()), StandardCopyOption.ATOMIC_MOVE);
    }

    @Override
    public void close() throws Exception {
        stopProcess();
        deleteTree(home);
    }

    /**
     * Stops the process (SIGTERM, SIGKILL after 30 s) and keeps its home, for a test that starts the next node in it
     * (a restart); {@link #close} does this and deletes the home.
     */
    void stopProcess() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }
    }

    private static Path findExampleJar() {
        Path target = Path.of(System.getProperty("herald.example.dir", "../examples/hello/target")).toAbsolutePath().normalize();
        try (var files = Files.list(target)) {
            return files.filter(p -> p.getFileName().toString().matches("herald-example-hello-.*\\.jar"))
                    .filter(p -> !p.getFileName().toString().contains("sources"))
                    .findFirst().orElseThrow(() -> new IllegalStateException("build examples/hello first: no jar in " + target));
        } catch (IOException e) {
            throw new IllegalStateException("build examples/hello first: " + e.getMessage());
        }
    }

    static void copyTree(Path from, Path to) throws IOException {
        if (!Files.isDirectory(from)) {
            throw new IllegalStateException("no directory " + from + " to copy");
        }
        Files.walkFileTree(from, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                Files.createDirectories(to.resolve(from.relativize(dir).toString()));
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.copy(file, to.resolve(from.relativize(file).toString()), StandardCopyOption.COPY_ATTRIBUTES);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (var paths = Files.walk(root)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
