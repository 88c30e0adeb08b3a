package io.herald.itests;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.herald.testing.node.NpmProject;

/**
 * The system's Chromium, headless, driven by puppeteer-core: the Node project in {@code src/test/node} (puppeteer-core
 * pinned in its {@code package-lock.json}) is copied into the build directory and installed there with {@code npm ci}
 * once per build, as bundles/tasks does for node-resque; its {@code browser.js} runs as a child process and takes one
 * JSON command per line (see the top of the script).
 *
 * <p>Without Chromium, {@code node} or {@code npm} the test fails, naming what is missing and {@code .ci/run}, which
 * installs them: a skipped browser test would pass a build whose browser client never ran in a browser.
 */
final class Chromium implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(90);

    private final Process process;
    private final OutputStream commands;
    private final BlockingQueue<String> answers = new LinkedBlockingQueue<>();
    private final Path log;

    private Chromium(Process process, Path log) {
        this.process = process;
        this.log = log;
        this.commands = process.getOutputStream();
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) {
                    answers.add(line);
                }
            } catch (IOException ended) {
                // the process is gone: the next command reports it
            }
        }, "chromium-answers");
        reader.setDaemon(true);
        reader.start();
    }

    /** Starts a headless Chromium; fails naming {@code .ci/run} when Chromium, node or npm is missing. */
    static Chromium start() throws IOException, InterruptedException {
        Path chromium = chromium().orElseThrow(() -> new AssertionError("the browser tests need Chromium, and neither "
                + "$CHROMIUM nor chromium on the PATH (" + System.getenv("PATH") + ") is one: .ci/run installs it "
                + "(Debian/Ubuntu package chromium)"));
        Path node = executable("node").orElseThrow(() -> new AssertionError("the browser tests need Node.js, and node is not"
                + " on the PATH: .ci/run installs it (Debian/Ubuntu package nodejs)"));
        Path home = install();
        Path log = home.resolveSibling("browser-" + ProcessHandle.current().pid() + "-" + System.nanoTime() + ".log");
        ProcessBuilder builder = new ProcessBuilder(node.toString(), "browser.js").directory(home.toFile())
                .redirectError(log.toFile());
        builder.environment().put("CHROMIUM", chromium.toString());
        Chromium browser = new Chromium(builder.start(), log);
        JsonNode ready = browser.answer();
        if (!ready.path("ready").asBoolean()) {
            browser.close();
            throw new AssertionError("Chromium did not start: " + ready + "\n" + browser.output());
        }
        return browser;
    }

    /** Opens a new page at {@code url} (after its load event); returns the page's URL. */
    String open(String url) throws IOException, InterruptedException {
        return command(Map.of("op", "open", "url", url)).asText();
    }

    /** The value of a JavaScript expression in the page. */
    JsonNode eval(String expression) throws IOException, InterruptedException {
        return command(Map.of("op", "eval", "js", expression));
    }

    /** Waits until a JavaScript expression is truthy in the page, and returns its value. */
    JsonNode waitFor(String expression, Duration timeout) throws IOException, InterruptedException {
        return command(Map.of("op", "waitFor", "js", expression, "timeoutMs", timeout.toMillis()));
    }

    void type(String selector, String text) throws IOException, InterruptedException {
        command(Map.of("op", "type", "selector", selector, "text", text));
    }

    void click(String selector) throws IOException, InterruptedException {
        command(Map.of("op", "click", "selector", selector));
    }

    /** What the driver and the page wrote to stderr (the page's console lines start with {@code page:}). */
    String output() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(no output: " + e.getMessage() + ")";
        }
    }

    private JsonNode command(Map<String, Object> command) throws IOException, InterruptedException {
        commands.write((JSON.writeValueAsString(new LinkedHashMap<>(command)) + "\n").getBytes(StandardCharsets.UTF_8));
        commands.flush();
        JsonNode answer = answer();
        if (!answer.path("ok").asBoolean()) {
            throw new AssertionError("Chromium: " + command.get("op") + " failed: " + answer.path("error").asText()
                    + "\n" + output());
        }
        return answer.path("value");
    }

    private JsonNode answer() throws IOException, InterruptedException {
        String line = answers.poll(COMMAND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        if (line == null) {
            throw new AssertionError("Chromium did not answer within " + COMMAND_TIMEOUT + (process.isAlive() ? ""
                    : " (the driver exited with " + process.exitValue() + ")") + "\n" + output());
        }
        return JSON.readTree(line);
    }

    @Override
    public void close() throws InterruptedException {
        try {
            commands.close();
        } catch (IOException alreadyGone) {
            // the driver exited
        }
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
    }

    // ------------------------------------------------------------------------------------------------ installation

    private static Optional<Path> chromium() {
        String configured = System.getenv("CHROMIUM");
        if (configured != null && !configured.isBlank()) {
            Path path = Path.of(configured);
            return Files.isExecutable(path) ? Optional.of(path) : Optional.empty();
        }
        return executable("chromium");
    }

    /** {@code src/test/node} (puppeteer-core) installed into {@code <build dir>/browser-driver} ({@link NpmProject}). */
    private static synchronized Path install() {
        return NpmProject.install(NpmProject.moduleDirectory().resolve("src/test/node"),
                NpmProject.buildDirectory(Chromium.class).resolve("browser-driver"), "the browser tests");
    }

    static Optional<Path> executable(String name) {
        return NpmProject.executable(name);
    }
}
