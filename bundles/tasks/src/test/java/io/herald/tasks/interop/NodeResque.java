package io.herald.tasks.interop;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

import io.herald.tasks.internal.wire.JsJson;
import io.herald.testing.redis.RedisServer;

/**
 * Real node-resque peers for the interop tests: the Node project in {@code src/test/node} (node-resque pinned in its
 * {@code package-lock.json}) is copied into the build directory and installed there with {@code npm ci} once per
 * build, and its scripts ({@code enqueue.js}, {@code worker.js}, {@code scheduler.js}, {@code queue-ops.js},
 * {@code stringify.js}; usage at the top of each) run as child processes against one Redis. They print one JSON
 * object per stdout line, which {@link NodeProcess} collects.
 *
 * <p>Without {@code node} or {@code npm} on the {@code PATH} the tests fail, naming what is missing and
 * {@code .ci/run}, which installs both: a skipped interop test would pass a build that never talked to node-resque. A
 * failing {@code npm ci} fails them too, with npm's output.
 *
 * <pre>{@code
 * NodeResque node = NodeResque.against(redis);
 * node.enqueue("math", "add", "[1,2]");
 * try (NodeProcess worker = node.start("worker.js", "--queues", "math", "--jobs", "1")) {
 *     worker.awaitExit(NodeResque.PROCESS_TIMEOUT).requireSuccess();
 * }
 * }</pre>
 */
public final class NodeResque {

    /** The message of the {@code fail} job class when its args do not give one ({@code lib/jobs.js}). */
    public static final String FAIL_MESSAGE = "interop job failed on purpose";

    /** The Redis list (not namespaced) the {@code record} job class RPUSHes {@code JSON.stringify(args)} to. */
    public static final String RECORD_KEY = "interop:record";

    /** How long one script may run before the test gives up on it: generous, the machine is shared. */
    public static final Duration PROCESS_TIMEOUT = Duration.ofSeconds(90);

    static final ObjectMapper JSON = JsonMapper.builder().build();

    private static final Duration INSTALL_TIMEOUT = Duration.ofMinutes(5);
    private static final String STAMP = ".herald-install-stamp";
    private static Path installed;

    private final Path home;
    private final Path nodeBinary;
    private final Map<String, String> environment;

    private NodeResque(Path home, Path nodeBinary, Map<String, String> environment) {
        this.home = home;
        this.nodeBinary = nodeBinary;
        this.environment = environment;
    }

    /** node-resque against {@code redis} with the default namespace {@code resque}. */
    public static NodeResque against(RedisServer redis) {
        return against(redis, "resque");
    }

    /** node-resque against {@code redis} with {@code namespace}. Installs the Node project first if needed. */
    public static NodeResque against(RedisServer redis, String namespace) {
        Map<String, String> environment = new LinkedHashMap<>();
        environment.put("REDIS_HOST", redis.host());
        environment.put("REDIS_PORT", String.valueOf(redis.port()));
        environment.put("NAMESPACE", namespace);
        if (redis.password() != null) {
            environment.put("REDIS_PASSWORD", redis.password());
        }
        return new NodeResque(install(), executable("node").orElseThrow(), Map.copyOf(environment));
    }

    /** For the scripts that need no Redis ({@code stringify.js}). */
    public static NodeResque withoutRedis() {
        return new NodeResque(install(), executable("node").orElseThrow(), Map.of());
    }

    /** The installed copy of the Node project (under the build directory). */
    public Path home() {
        return home;
    }

    /** Starts {@code script} with {@code args}; the caller closes it (which kills it if it still runs). */
    public NodeProcess start(String script, String... args) {
        return startWithInput(null, script, args);
    }

    /** Starts {@code script} with {@code args}, writing {@code stdin} (if not null) to its standard input. */
    public NodeProcess startWithInput(String stdin, String script, String... args) {
        List<String> command = new ArrayList<>();
        command.add(nodeBinary.toString());
        command.add(script);
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(home.toFile());
        builder.environment().putAll(environment);
        return NodeProcess.start(builder, stdin);
    }

    /** Runs {@code script} to its end (at most {@link #PROCESS_TIMEOUT}) and returns what it printed. */
    public NodeProcess.Result run(String script, String... args) {
        try (NodeProcess process = start(script, args)) {
            return process.awaitExit(PROCESS_TIMEOUT);
        }
    }

    /**
     * {@code enqueue.js --queue queue --class jobClass --args argsJson [extra...]}, required to succeed.
     *
     * @return node-resque's encoded payload of each job, in order
     */
    public List<String> enqueue(String queue, String jobClass, String argsJson, String... extra) {
        List<String> args = new ArrayList<>(List.of("--queue", queue, "--class", jobClass, "--args", argsJson));
        args.addAll(List.of(extra));
        NodeProcess.Result result = run("enqueue.js", args.toArray(String[]::new)).requireSuccess();
        return result.events("enqueued").stream().map(e -> e.get("encoded").asText()).toList();
    }

    /**
     * Runs {@code queue-ops.js} with these operations (JSON objects, see the script) and returns each operation's
     * result line ({@code {"op":..,"ok":..,"value"|"error":..}}), without requiring success.
     */
    public List<JsonNode> operations(String... operations) {
        NodeProcess.Result result = run("queue-ops.js", operations);
        if (result.lines().size() != operations.length) {
            throw new AssertionError("queue-ops.js printed " + result.lines().size() + " result lines for "
                    + operations.length + " operations\n" + result);
        }
        return result.lines();
    }

    /**
     * A {@code queue-ops.js} operation: {@code op("failed", "start", 0, "stop", -1)}. Values are Java values written
     * as JSON (maps, lists, strings, numbers); pass {@code JsJson.parse("[..]")} for literal JSON.
     */
    public static String op(String name, Object... fieldsAndValues) {
        Map<String, Object> operation = new LinkedHashMap<>();
        operation.put("op", name);
        for (int i = 0; i + 1 < fieldsAndValues.length; i += 2) {
            operation.put((String) fieldsAndValues[i], fieldsAndValues[i + 1]);
        }
        return JsJson.stringify(operation);
    }

    /** Runs one {@code queue-ops.js} operation that must succeed and returns its {@code value}. */
    public JsonNode operation(String operation) {
        JsonNode line = operations(operation).get(0);
        if (!line.path("ok").asBoolean()) {
            throw new AssertionError("node-resque " + operation + " failed: " + line.path("error"));
        }
        return line.get("value");
    }

    /** {@code JSON.stringify(JSON.parse(json))}: the bytes node-resque writes for this value. */
    public String stringify(String json) {
        try (NodeProcess process = startWithInput(json, "stringify.js")) {
            NodeProcess.Result result = process.awaitExit(PROCESS_TIMEOUT).requireExitZero();
            return result.stdout().strip();
        }
    }

    // ------------------------------------------------------------------------------------------------ installation

    /**
     * Copies {@code src/test/node} to {@code <build dir>/node-resque} and runs {@code npm ci} there unless the same
     * {@code package-lock.json} was installed before (a stamp in {@code node_modules}). Surefire runs each test class
     * in a JVM of its own, so "once per build" is kept on disk, under a file lock; the build directory is this
     * build's own ({@code -Dtasks.build.dir}), so concurrent builds of the module do not share it.
     */
    static synchronized Path install() {
        if (installed != null) {
            return installed;
        }
        Optional<Path> node = executable("node");
        Optional<Path> npm = executable("npm");
        if (node.isEmpty() || npm.isEmpty()) {
            String missing = node.isEmpty() && npm.isEmpty() ? "node and npm are" : node.isEmpty() ? "node is" : "npm is";
            throw new AssertionError("the node-resque interop tests need Node.js and npm, and " + missing
                    + " not on the PATH (" + System.getenv("PATH") + "): .ci/run installs them (Debian/Ubuntu"
                    + " packages nodejs and npm)");
        }
        Path source = projectDirectory().resolve("src/test/node");
        if (!Files.isRegularFile(source.resolve("package-lock.json"))) {
            throw new IllegalStateException("no Node project at " + source);
        }
        Path target = buildDirectory().resolve("node-resque");
        try {
            Files.createDirectories(target);
            try (FileChannel channel = FileChannel.open(target.resolveSibling("node-resque.lock"),
                    StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                 FileLock lock = channel.lock()) {
                copyProject(source, target);
                String stamp = stampOf(target);
                Path stampFile = target.resolve("node_modules").resolve(STAMP);
                if (!Files.isRegularFile(stampFile) || !Files.readString(stampFile).equals(stamp)) {
                    npmCi(npm.get(), target);
                    Files.writeString(stampFile, stamp);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot install the node-resque project into " + target, e);
        }
        installed = target;
        return target;
    }

    private static void npmCi(Path npm, Path target) throws IOException {
        List<String> command = List.of(npm.toString(), "ci", "--no-audit", "--no-fund", "--loglevel=error");
        Path log = target.resolveSibling("node-resque-npm.log");
        Process process = new ProcessBuilder(command).directory(target.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        try {
            if (!process.waitFor(INSTALL_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("npm ci did not finish within " + INSTALL_TIMEOUT + " in " + target
                        + "\n" + Files.readString(log));
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted during npm ci", e);
        }
        if (process.exitValue() != 0) {
            throw new AssertionError("npm ci failed (exit " + process.exitValue() + ") in " + target + "\n"
                    + Files.readString(log));
        }
    }

    /** Copies the project's files (not a node_modules of a developer's own npm run), replacing older copies. */
    private static void copyProject(Path source, Path target) throws IOException {
        try (Stream<Path> files = Files.walk(source)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                Path relative = source.relativize(file);
                if (relative.toString().startsWith("node_modules")) {
                    continue;
                }
                Path destination = target.resolve(relative.toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(destination);
                } else {
                    Files.copy(file, destination, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    private static String stampOf(Path target) throws IOException {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(Files.readAllBytes(target.resolve("package.json")));
            digest.update(Files.readAllBytes(target.resolve("package-lock.json")));
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    /** The module directory: Surefire's {@code basedir} property, else the working directory it starts tests in. */
    private static Path projectDirectory() {
        return Path.of(System.getProperty("basedir", System.getProperty("user.dir"))).toAbsolutePath();
    }

    /**
     * This build's directory: the parent of the {@code test-classes} folder this class was loaded from, which is
     * {@code ${project.build.directory}} (i.e. {@code -Dtasks.build.dir}) whatever it is called; else
     * {@code target}.
     */
    private static Path buildDirectory() {
        try {
            Path classes = Path.of(NodeResque.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            if (Files.isDirectory(classes) && classes.getParent() != null) {
                return classes.getParent();
            }
        } catch (URISyntaxException | SecurityException | NullPointerException e) {
            // fall through to the conventional place
        }
        return projectDirectory().resolve("target");
    }

    static Optional<Path> executable(String name) {
        String path = Objects.requireNonNullElse(System.getenv("PATH"), "/usr/local/bin:/usr/bin:/bin");
        for (String entry : path.split(java.io.File.pathSeparator)) {
            if (entry.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(entry, name);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }
}
