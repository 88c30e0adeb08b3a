package io.herald.tasks.interop;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * One child process of the interop tests, mostly a node-resque script ({@link NodeResque#start}), also a Herald
 * worker JVM ({@link HeraldWorkerProcess}): its stdout JSON lines are collected as they come (a line that is not JSON,
 * such as a log line, is kept as text), its stderr is kept for failure messages. Waits are condition-based with a deadline, and end
 * early, with the script's output, when the script exits without printing what is awaited. {@link #close()} kills a
 * script that still runs; a JVM shutdown hook kills any left behind.
 */
public final class NodeProcess implements AutoCloseable {

    private static final Set<Process> RUNNING = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> RUNNING.forEach(Process::destroyForcibly),
                "node-resque-reaper"));
    }

    private final String command;
    private final Process process;
    private final List<JsonNode> lines = new ArrayList<>();
    private final StringBuilder stdout = new StringBuilder();
    private final StringBuilder stderr = new StringBuilder();
    private final List<String> notJson = new ArrayList<>();
    private final Thread stdoutReader;
    private final Thread stderrReader;

    private NodeProcess(String command, Process process) {
        this.command = command;
        this.process = process;
        this.stdoutReader = reader("stdout", process.getInputStream(), this::acceptStdout);
        this.stderrReader = reader("stderr", process.getErrorStream(), this::acceptStderr);
    }

    static NodeProcess start(ProcessBuilder builder, String stdin) {
        String command = String.join(" ", builder.command());
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + command, e);
        }
        RUNNING.add(process);
        NodeProcess node = new NodeProcess(command, process);
        try (OutputStream in = process.getOutputStream()) {
            if (stdin != null) {
                in.write(stdin.getBytes(StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            node.close();
            throw new UncheckedIOException("cannot write the standard input of " + command, e);
        }
        return node;
    }

    /** The operating system's process id (e.g. to name the worker it runs, {@code host:pid}). */
    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** The JSON lines printed so far. */
    public synchronized List<JsonNode> lines() {
        return List.copyOf(lines);
    }

    /** The lines printed so far whose {@code event} is {@code name}. */
    public synchronized List<JsonNode> events(String name) {
        return lines.stream().filter(line -> name.equals(line.path("event").asText(null))).toList();
    }

    /** Waits for the first line whose {@code event} is {@code name}. */
    public JsonNode awaitEvent(String name, Duration timeout) {
        return awaitEvents(name, 1, timeout).get(0);
    }

    /** Waits until {@code count} lines with {@code event} {@code name} were printed, and returns them all. */
    public List<JsonNode> awaitEvents(String name, int count, Duration timeout) {
        awaitLine(lines -> lines.stream().filter(l -> name.equals(l.path("event").asText(null))).count() >= count,
                count + " \"" + name + "\" event(s)", timeout);
        return events(name);
    }

    /** Waits until {@code condition} holds for the lines printed so far. */
    public synchronized void awaitLine(Predicate<List<JsonNode>> condition, String what, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.test(Collections.unmodifiableList(lines))) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("no " + what + " within " + timeout + " from " + this);
            }
            if (!process.isAlive() && !stdoutReader.isAlive()) {
                throw new AssertionError("exited (" + process.exitValue() + ") without " + what + ": " + this);
            }
            try {
                // readers notify on every line; the bound re-checks for an exit that printed nothing more
                wait(Math.max(1, Math.min(TimeUnit.NANOSECONDS.toMillis(left), 200)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for " + what, e);
            }
        }
    }

    /** Waits for the script to end by itself; kills it and fails when it does not within {@code timeout}. */
    public Result awaitExit(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("did not exit within " + timeout + " (killed): " + this);
            }
            stdoutReader.join(TimeUnit.SECONDS.toMillis(10));
            stderrReader.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted waiting for " + command, e);
        } finally {
            if (!process.isAlive()) {
                RUNNING.remove(process);
            }
        }
        return result();
    }

    /** SIGTERM: the scripts then stop gracefully (node-resque's end()); waits for the exit. */
    public Result stop(Duration timeout) {
        process.destroy();
        return awaitExit(timeout);
    }

    /** SIGKILL, as a crash: node-resque gets no chance to untrack its worker or release its lock. */
    public void kill() {
        process.destroyForcibly();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                throw new AssertionError("still alive 30 s after SIGKILL: " + this);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted killing " + command, e);
        }
        RUNNING.remove(process);
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            kill();
        }
        RUNNING.remove(process);
    }

    private synchronized Result result() {
        return new Result(command, process.exitValue(), List.copyOf(lines), List.copyOf(notJson),
                stdout.toString(), stderr.toString());
    }

    private synchronized void acceptStdout(String line) {
        stdout.append(line).append('\n');
        if (!line.isBlank()) {
            try {
                lines.add(NodeResque.JSON.readTree(line));
            } catch (JsonProcessingException e) {
                notJson.add(line);
            }
        }
        notifyAll();
    }

    private synchronized void acceptStderr(String line) {
        stderr.append(line).append('\n');
    }

    private synchronized void readerDone() {
        notifyAll();
    }

    private Thread reader(String stream, InputStream input, java.util.function.Consumer<String> sink) {
        Thread thread = new Thread(() -> {
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(input, StandardCharsets.UTF_8))) {
                String line;
                while ((line = reader.readLine()) != null) {
                    sink.accept(line);
                }
            } catch (IOException e) {
                // the process was killed: what it printed before is kept
            } finally {
                readerDone();
            }
        }, "node-" + stream + "-" + process.pid());
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    @Override
    public synchronized String toString() {
        return describe(command, process.isAlive() ? "running" : "exit " + process.exitValue(), stdout, stderr);
    }

    private static String describe(String command, String state, CharSequence stdout, CharSequence stderr) {
        return command + " [" + state + "]\n--- stdout\n" + stdout + "--- stderr\n" + stderr;
    }

    /** What a finished script printed, and how it exited. */
    public record Result(String command, int exitCode, List<JsonNode> lines, List<String> notJson, String stdout,
                         String stderr) {

        /** Fails with the whole output unless the script exited 0 and printed only JSON lines. */
        public Result requireSuccess() {
            requireExitZero();
            if (!notJson.isEmpty()) {
                throw new AssertionError("node-resque script printed lines that are not JSON: " + notJson + "\n"
                        + this);
            }
            return this;
        }

        /** Fails with the whole output unless the script exited 0 (for output that need not be parsed). */
        public Result requireExitZero() {
            if (exitCode != 0) {
                throw new AssertionError("node-resque script failed: " + this);
            }
            return this;
        }

        public List<JsonNode> events(String name) {
            return lines.stream().filter(line -> name.equals(line.path("event").asText(null))).toList();
        }

        /** The one line with {@code event} {@code name}; fails when there is none or several. */
        public JsonNode event(String name) {
            List<JsonNode> found = events(name);
            if (found.size() != 1) {
                throw new AssertionError(found.size() + " \"" + name + "\" events, expected 1: " + this);
            }
            return found.get(0);
        }

        @Override
        public String toString() {
            return describe(command, "exit " + exitCode, stdout, stderr);
        }
    }
}
