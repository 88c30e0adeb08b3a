package io.herald.launcher.internal.cluster;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * One node of the cluster: {@code bin/herald start} as a child process with its own title ({@code <title>-<n>}: its
 * own server id, pidfile {@code pids/herald-<title>-<n>}, data directory and log lines). Its output is copied to the
 * supervisor's, each line prefixed with the title; the launcher's {@code Herald <version> started: ...} line, printed
 * once the role and {@code deploy/} are live and the port is open, tells that the node is ready.
 */
final class NodeProcess {

    /** The launcher's line once the node serves (Launcher: {@code Herald <version> started: role=...}). */
    private static final Pattern STARTED = Pattern.compile("^Herald \\S+ started: role=.*");

    final int number;
    final String title;
    private final Process process;
    private final CompletableFuture<Void> ready = new CompletableFuture<>();
    private volatile boolean retiring;
    private Thread copier;

    private NodeProcess(int number, String title, Process process) {
        this.number = number;
        this.title = title;
        this.process = process;
    }

    /**
     * Starts {@code command} with {@code environment} added to the supervisor's, copying its output to {@code out}.
     */
    static NodeProcess start(int number, String title, List<String> command, Map<String, String> environment,
            PrintStream out) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        builder.environment().putAll(environment);
        NodeProcess node = new NodeProcess(number, title, builder.start());
        node.copier = new Thread(() -> node.copyOutput(out), "herald-cluster-" + title);
        node.copier.setDaemon(true);
        node.copier.start();
        return node;
    }

    /**
     * Copies the node's output in blocks, not line by line: at tens of thousands of log lines a second a decoded,
     * re-encoded and flushed line each would cost the supervisor a good part of a core. Only the start of each line is
     * looked at: for the prefix, and for the launcher's started line.
     */
    private void copyOutput(PrintStream out) {
        byte[] prefix = ("[" + title + "] ").getBytes(StandardCharsets.UTF_8);
        byte[] buffer = new byte[65536];
        ByteArrayOutputStream line = new ByteArrayOutputStream(); // the start of the current line, while it may be STARTED
        boolean lineStart = true;
        try (InputStream in = process.getInputStream()) {
            int read;
            while ((read = in.read(buffer)) > 0) {
                ByteArrayOutputStream chunk = new ByteArrayOutputStream(read + 256);
                int from = 0;
                for (int i = 0; i < read; i++) {
                    if (lineStart) {
                        chunk.write(buffer, from, i - from);
                        chunk.write(prefix);
                        from = i;
                        lineStart = false;
                        line.reset();
                    }
                    if (buffer[i] == '\n') {
                        lineStart = true;
                        if (!ready.isDone() && line.size() > 0 && STARTED.matcher(line.toString(StandardCharsets.UTF_8)).matches()) {
                            ready.complete(null);
                        }
                        line.reset();
                    } else if (!ready.isDone() && line.size() < 512 && (line.size() > 0 || buffer[i] == 'H')) {
                        line.write(buffer[i]);
                    }
                }
                chunk.write(buffer, from, read - from);
                synchronized (out) {
                    out.write(chunk.toByteArray());
                    out.flush();
                }
            }
        } catch (IOException e) {
            // the node's output closed: it exited
        }
    }

    long pid() {
        return process.pid();
    }

    /** Completes once the node serves; never completes for a node that exits first. */
    CompletableFuture<Void> ready() {
        return ready;
    }

    boolean isReady() {
        return ready.isDone();
    }

    /** Completes with the exit code. */
    CompletableFuture<Integer> exited() {
        return process.onExit().thenApply(Process::exitValue);
    }

    /** The exit code of a node that has exited. */
    int exitValue() {
        return process.exitValue();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** Marks the node as stopped on purpose (not to be replaced when it exits) and sends it SIGTERM: a graceful stop. */
    void retire() {
        retiring = true;
        // Through the handle: Process.destroy() would also close the node's output here, losing how it stopped.
        process.toHandle().destroy();
    }

    boolean isRetiring() {
        return retiring;
    }

    /**
     * Waits for the node to exit; SIGKILL after {@code timeoutMillis} (the node's own shutdown timeout should have ended
     * it before: this is for a node that hangs).
     *
     * @return whether it had to be killed
     */
    boolean awaitExit(long timeoutMillis) throws InterruptedException {
        boolean killed = false;
        if (!process.waitFor(timeoutMillis, TimeUnit.MILLISECONDS)) {
            process.toHandle().destroyForcibly();
            process.waitFor();
            killed = true;
        }
        // Its last lines (how it stopped) come out before the supervisor says it stopped.
        copier.join(1_000);
        return killed;
    }

    @Override
    public String toString() {
        return title + " (pid " + pid() + ")";
    }
}
