package io.herald.tasks.interop;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

import io.herald.tasks.internal.wire.JsJson;
import io.herald.testing.node.NpmProject;
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
     * {@code src/test/node} installed into {@code <build dir>/node-resque} ({@link NpmProject}: once per lock file, under
     * a file lock; the build directory is this build's own, {@code -Dtasks.build.dir}).
     */
    static synchronized Path install() {
        if (installed != null) {
            return installed;
        }
        Optional<Path> node = executable("node");
        if (node.isEmpty()) {
            throw new AssertionError("the node-resque interop tests need Node.js, and node is not on the PATH ("
                    + System.getenv("PATH") + "): .ci/run installs it (Debian/Ubuntu packages nodejs and npm)");
        }
        installed = NpmProject.install(NpmProject.moduleDirectory().resolve("src/test/node"),
                NpmProject.buildDirectory(NodeResque.class).resolve("node-resque"), "the node-resque interop tests");
        return installed;
    }

    static Optional<Path> executable(String name) {
        return NpmProject.executable(name);
    }
}
