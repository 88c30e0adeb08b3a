package io.herald.tasks.internal.failover;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.herald.api.task.Task;
import io.herald.core.ParamChecks;
import io.herald.redis.internal.RedisConnections;
import io.herald.tasks.internal.TaskProcessor;
import io.herald.tasks.internal.TasksSettings;
import io.herald.tasks.internal.store.RedisResqueStore;
import io.herald.testing.Await;

/**
 * A Herald worker node in a JVM of its own, so a test can SIGKILL it as a crash would: nothing unregisters its worker,
 * finishes its job or releases anything; its ping key just stops being renewed. The child runs one processor on one
 * queue with {@code timeout} 500 ms (its ping interval) and knows two tasks: {@value #QUICK}, which returns at once,
 * and {@value #HANG}, which prints {@code hanging} and blocks until the process dies. It prints
 * {@code started <worker name>} once its worker is registered.
 */
final class WorkerJvm implements AutoCloseable {

    static final String QUICK = "quick";
    static final String HANG = "hang";
    static final long TIMEOUT_MILLIS = 500;

    /** Children still running when the test JVM exits (a test that failed half-way) are killed then. */
    private static final java.util.Set<Process> RUNNING = java.util.concurrent.ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> RUNNING.forEach(Process::destroyForcibly),
                "worker-jvm-reaper"));
    }

    private final Process process;
    private final List<String> lines = new ArrayList<>();
    private final StringBuilder stderr = new StringBuilder();

    private WorkerJvm(Process process) {
        this.process = process;
        RUNNING.add(process);
        daemon("worker-jvm-stdout", () -> read(process.getInputStream(), this::line));
        daemon("worker-jvm-stderr", () -> read(process.getErrorStream(), this::errorLine));
    }

    /** Starts the child against Redis at host:port, working {@code queue}. */
    static WorkerJvm start(String host, int port, String queue) {
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        ProcessBuilder builder = new ProcessBuilder(java.toString(), "-Xmx128m", "-XX:TieredStopAtLevel=1", "-cp",
                classPath, WorkerJvm.class.getName(), host, String.valueOf(port), queue);
        try {
            return new WorkerJvm(builder.start());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start a worker JVM: " + builder.command(), e);
        }
    }

    /** Waits for the {@code started} line and returns the worker's name ({@code host:pid+N}). */
    String awaitStarted(Duration bound) {
        Await.until(() -> startedLine() != null || !process.isAlive(), bound, "the worker JVM registered " + this);
        String line = startedLine();
        if (line == null) {
            throw new AssertionError("the worker JVM exited without starting: " + this);
        }
        return line.substring("started ".length());
    }

    /** Waits until the child printed {@code hanging}: its worker performs the {@value #HANG} task. */
    void awaitHanging(Duration bound) {
        Await.until(() -> printed("hanging"), bound, "the worker JVM performs the hang job " + this);
    }

    long pid() {
        return process.pid();
    }

    /** SIGKILL (Process.destroyForcibly on Unix), then waits for the exit. */
    void kill() {
        process.destroyForcibly();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                throw new AssertionError("still alive 30 s after SIGKILL: " + this);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted killing the worker JVM", e);
        }
        RUNNING.remove(process);
    }

    boolean isAlive() {
        return process.isAlive();
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            kill();
        }
    }

    @Override
    public synchronized String toString() {
        return "worker JVM " + process.pid() + " [" + (process.isAlive() ? "running" : "exit " + process.exitValue())
                + "]\n--- stdout\n" + String.join("\n", lines) + "\n--- stderr\n" + stderr;
    }

    private synchronized String startedLine() {
        return lines.stream().filter(l -> l.startsWith("started ")).findFirst().orElse(null);
    }

    private synchronized boolean printed(String text) {
        return lines.contains(text);
    }

    private synchronized void line(String line) {
        lines.add(line);
    }

    private synchronized void errorLine(String line) {
        stderr.append(line).append('\n');
    }

    private static void read(java.io.InputStream input, java.util.function.Consumer<String> sink) {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(input, StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                sink.accept(line);
            }
        } catch (IOException e) {
            // the process died: what it printed before is kept
        }
    }

    private static void daemon(String name, Runnable body) {
        Thread thread = new Thread(body, name);
        thread.setDaemon(true);
        thread.start();
    }

    /** The child: {@code host port queue}. */
    public static void main(String[] args) throws InterruptedException {
        RedisConnections.Opened connection = Failures.standalone(args[0], Integer.parseInt(args[1]), 5000);
        TaskProcessor node = new TaskProcessor(ParamChecks.standard(), new RedisResqueStore(connection), "worker-jvm");
        Task quick = context -> "done";
        Task hang = context -> {
            System.out.println("hanging");
            System.out.flush();
            // blocks until the process is killed; a stop would interrupt it and fail the job, which no test does
            new java.util.concurrent.CountDownLatch(1).await();
            return null;
        };
        node.registry().addTask(quick, Map.of("herald.task.name", QUICK), 1);
        node.registry().addTask(hang, Map.of("herald.task.name", HANG), 2);
        node.start(TasksSettings.from(Map.of("queues", args[2], "minTaskProcessors", 1, "maxTaskProcessors", 1,
                "timeout", TIMEOUT_MILLIS, "checkTimeout", 100, "scheduler", false), "worker"));
        System.out.println("started " + node.pool().workerNames().get(0));
        System.out.flush();
        Thread.currentThread().join();
    }
}
