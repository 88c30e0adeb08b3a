package io.herald.testing.redis;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLSocketFactory;

import io.herald.testing.redis.internal.Await;
import io.herald.testing.redis.internal.FreePorts;
import io.herald.testing.redis.internal.LastResort;
import io.herald.testing.redis.internal.RedisBinaries;
import io.herald.testing.redis.internal.TempDirs;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One {@code redis-server} process (a data node, a sentinel or a cluster node) in its own directory: writes its
 * config, starts it in the foreground as a child of this JVM, waits until it answers, stops it. The process is only
 * ever signalled through its own {@link Process} handle.
 */
final class RedisNode {

    /** What the process runs as. */
    public enum Mode {
        SERVER, SENTINEL, CLUSTER
    }

    public static final String HOST = "127.0.0.1";

    private static final Logger LOG = LoggerFactory.getLogger("io.herald.testing.redis");
    private static final int BIND_ATTEMPTS = 5;
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(5);
    private static final int LOG_TAIL_CHARS = 3000;

    private final String name;
    private final Path directory;
    private final Mode mode;
    private final String password;
    private final Duration startTimeout;
    /** Null for a plain node; else the node listens on TLS only, with these files. */
    private final TlsFiles tls;
    private final SSLSocketFactory tlsSocketFactory;
    private int port;
    private Process process;
    private List<String> extraConfig = List.of();

    /** A node named {@code name} living in {@code parent/name}; nothing runs until {@link #start(List)}. */
    public RedisNode(String name, Path parent, Mode mode, String password, Duration startTimeout) {
        this(name, parent, mode, password, startTimeout, null);
    }

    /**
     * A node that, when {@code tls} is not null, listens on TLS only ({@code port 0}, {@code tls-port}) with these
     * certificates, not asking clients for theirs ({@code tls-auth-clients no}).
     */
    public RedisNode(String name, Path parent, Mode mode, String password, Duration startTimeout, TlsFiles tls) {
        this.tls = tls;
        this.tlsSocketFactory = tls == null ? null : tls.socketFactory();
        this.name = name;
        this.directory = parent.resolve(name);
        this.mode = mode;
        this.password = password;
        this.startTimeout = startTimeout;
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + directory, e);
        }
    }

    /**
     * Starts on a free port with these config lines after the node's own ones, picking another port when another
     * process took the probed one before Redis could bind it. Returns when the server answers {@code PING}.
     */
    public synchronized void start(List<String> extraConfig) {
        for (int attempt = 1; ; attempt++) {
            int candidate = FreePorts.pick(mode == Mode.CLUSTER);
            try {
                launch(candidate, extraConfig);
                return;
            } catch (PortTakenException e) {
                if (attempt == BIND_ATTEMPTS) {
                    throw new IllegalStateException(name + ": every probed port was taken before redis-server bound"
                            + " it (" + BIND_ATTEMPTS + " attempts); last: " + e.getMessage(), e);
                }
                LOG.info("{}: port {} was taken before redis-server bound it, trying another", name, candidate);
            }
        }
    }

    /** Starts again on the same port, with the config lines of the last start. */
    public synchronized void restart() {
        restart(extraConfig);
    }

    /** Starts again on the same port (after {@link #stop()} or {@link #kill()}), with these config lines. */
    public synchronized void restart(List<String> extraConfig) {
        if (isRunning()) {
            stop();
        }
        if (port == 0) {
            throw new IllegalStateException(name + " was never started");
        }
        try {
            launch(port, extraConfig);
        } catch (PortTakenException e) {
            throw new IllegalStateException("cannot restart " + name + " on port " + port
                    + ": another process took the port meanwhile", e);
        }
    }

    /** {@code SHUTDOWN NOSAVE}, then waits for the process; signals it (TERM, then KILL) when it does not exit. */
    public synchronized void stop() {
        if (process == null) {
            return;
        }
        if (process.isAlive()) {
            askToShutDown();
            if (!waitForExit(STOP_TIMEOUT)) {
                LOG.warn("{} did not exit after SHUTDOWN, sending SIGTERM to pid {}", name, process.pid());
                process.destroy();
                if (!waitForExit(STOP_TIMEOUT)) {
                    process.destroyForcibly();
                    waitForExit(STOP_TIMEOUT);
                }
            }
            LOG.info("stopped {} (pid {}, {}:{})", name, process.pid(), HOST, port);
        }
        forget();
    }

    /** SIGKILL, as a crash or a pulled plug: no goodbye to replicas or sentinels. */
    public synchronized void kill() {
        if (process == null) {
            return;
        }
        if (process.isAlive()) {
            process.destroyForcibly();
            if (!waitForExit(STOP_TIMEOUT)) {
                throw new IllegalStateException(name + " (pid " + process.pid() + ") survived SIGKILL for "
                        + STOP_TIMEOUT.toSeconds() + " s");
            }
            LOG.info("killed {} (pid {}, {}:{})", name, process.pid(), HOST, port);
        }
        forget();
    }

    public synchronized boolean isRunning() {
        return process != null && process.isAlive();
    }

    public String name() {
        return name;
    }

    public Path directory() {
        return directory;
    }

    public synchronized int port() {
        return port;
    }

    public synchronized RedisAddress address() {
        if (port == 0) {
            throw new IllegalStateException(name + " was never started");
        }
        return new RedisAddress(HOST, port);
    }

    public String password() {
        return password;
    }

    /** A new client to this node, authenticated when the node has a password. */
    public RespClient client() {
        return RespClient.connect(address(), password, RespClient.DEFAULT_TIMEOUT, tlsSocketFactory);
    }

    /** {@code INFO section} of this node, parsed. */
    public Map<String, String> info(String section) {
        try (RespClient client = client()) {
            return client.info(section);
        }
    }

    /** {@code master} or {@code slave}, from {@code INFO replication}. */
    public String role() {
        return info("replication").get("role");
    }

    /** Whether this node is a replica of the node on {@code leaderPort} with the link up (initial sync done). */
    public boolean replicatesInSync(int leaderPort) {
        Map<String, String> replication = info("replication");
        return "slave".equals(replication.get("role"))
                && String.valueOf(leaderPort).equals(replication.get("master_port"))
                && "up".equals(replication.get("master_link_status"));
    }

    /** One line for timeout messages: role and link, or why the node cannot say. */
    public String describe() {
        if (!isRunning()) {
            return name + " (" + HOST + ":" + port + ") down";
        }
        try {
            Map<String, String> replication = info("replication");
            return name + " (" + HOST + ":" + port + ") role=" + replication.get("role")
                    + ("slave".equals(replication.get("role"))
                            ? " of :" + replication.get("master_port") + " link=" + replication.get("master_link_status")
                            : "");
        } catch (RuntimeException e) {
            return name + " (" + HOST + ":" + port + ") unreachable: " + e.getMessage();
        }
    }

    /** Stops every node, even when some fail to stop, then deletes {@code directory}; rethrows the first failure. */
    public static void stopAll(List<RedisNode> nodes, Path directory) {
        RuntimeException failure = null;
        for (RedisNode node : nodes) {
            try {
                node.stop();
            } catch (RuntimeException e) {
                failure = remember(failure, e);
            }
        }
        try {
            TempDirs.delete(directory);
        } catch (RuntimeException e) {
            failure = remember(failure, e);
        }
        if (failure != null) {
            throw failure;
        }
    }

    private static RuntimeException remember(RuntimeException first, RuntimeException next) {
        if (first == null) {
            return next;
        }
        first.addSuppressed(next);
        return first;
    }

    @Override
    public String toString() {
        return name + "@" + HOST + ":" + port;
    }

    private void launch(int candidate, List<String> extraConfig) throws PortTakenException {
        Path config = directory.resolve("redis.conf");
        Path log = directory.resolve("redis.log");
        Path console = directory.resolve("console.log");
        writeConfig(config, candidate, extraConfig);
        long logStart = size(log);
        long consoleStart = size(console);
        List<String> command = new ArrayList<>(List.of(RedisBinaries.server().toString(), config.toString()));
        if (mode == Mode.SENTINEL) {
            command.add("--sentinel");
        }
        long started = System.nanoTime();
        Process launched;
        try {
            launched = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(console.toFile())).start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + String.join(" ", command), e);
        }
        LastResort.track(launched);
        long deadline = started + startTimeout.toNanos();
        while (true) {
            if (!launched.isAlive()) {
                LastResort.untrack(launched);
                String output = tail(log, logStart) + tail(console, consoleStart);
                if (output.contains("Address already in use")) {
                    throw new PortTakenException(HOST + ":" + candidate);
                }
                throw new IllegalStateException(name + ": redis-server exited with code " + launched.exitValue()
                        + " while starting on " + HOST + ":" + candidate + " (config " + config + "):\n" + output);
            }
            if (answers(candidate, launched.pid())) {
                break;
            }
            if (System.nanoTime() - deadline >= 0) {
                launched.destroyForcibly();
                LastResort.untrack(launched);
                throw new IllegalStateException(name + ": redis-server did not answer PING on " + HOST + ":"
                        + candidate + " within " + startTimeout.toMillis() + " ms:\n" + tail(log, logStart));
            }
            Await.sleep(20);
        }
        this.port = candidate;
        this.process = launched;
        this.extraConfig = List.copyOf(extraConfig);
        LOG.info("started {} (redis-server{} pid {}) on {}:{} in {} ms, dir {}", name,
                mode == Mode.SENTINEL ? " --sentinel" : "", launched.pid(), HOST, candidate,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started), directory);
    }

    /** PONG from our own process: a foreign server that grabbed the port must not pass for ours. */
    private boolean answers(int candidate, long pid) {
        try (RespClient client = RespClient.connect(new RedisAddress(HOST, candidate), password,
                Duration.ofMillis(500), tlsSocketFactory)) {
            return "PONG".equals(client.ping())
                    && String.valueOf(pid).equals(client.info("server").get("process_id"));
        } catch (UncheckedIOException | RespException e) {
            // not listening yet, or still loading
            return false;
        }
    }

    private void writeConfig(Path config, int candidate, List<String> extraConfig) {
        List<String> lines = new ArrayList<>();
        lines.add("# written by io.herald.testing.redis for " + name + "; regenerated at every start");
        lines.add("bind " + HOST);
        if (tls == null) {
            lines.add("port " + candidate);
        } else {
            // TLS only: a plain client finds nothing to talk to
            lines.add("port 0");
            lines.add("tls-port " + candidate);
            lines.add("tls-cert-file " + quote(tls.certificate().toString()));
            lines.add("tls-key-file " + quote(tls.privateKey().toString()));
            lines.add("tls-ca-cert-file " + quote(tls.caCertificate().toString()));
            lines.add("tls-auth-clients no");
            lines.add("tls-replication yes");
        }
        lines.add("daemonize no");
        lines.add("dir " + quote(directory.toString()));
        lines.add("logfile " + quote(directory.resolve("redis.log").toString()));
        if (mode != Mode.SENTINEL) {
            // test data never outlives the process: a redis-server loads the dump.rdb it finds in its dir at start
            lines.add("save \"\"");
            lines.add("appendonly no");
            lines.add("dbfilename dump.rdb");
            // a full sync without the default 5 s wait for more replicas: topologies are ready seconds sooner
            lines.add("repl-diskless-sync yes");
            lines.add("repl-diskless-sync-delay 0");
            if (RedisBinaries.majorVersion() >= 7) {
                lines.add("enable-debug-command local");
            }
            if (password != null) {
                lines.add("requirepass " + quote(password));
                lines.add("masterauth " + quote(password));
            }
        }
        lines.addAll(extraConfig);
        try {
            Files.write(config, lines, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + config, e);
        }
    }

    private void askToShutDown() {
        List<String> command = new ArrayList<>(List.of("SHUTDOWN", "NOSAVE"));
        if (mode != Mode.SENTINEL && RedisBinaries.majorVersion() >= 7) {
            // Redis 7 otherwise waits up to shutdown-timeout for lagging replicas, which may be dead already
            command.add("NOW");
        }
        try (RespClient client = RespClient.connect(address(), password, Duration.ofSeconds(2), tlsSocketFactory)) {
            client.call(command.toArray(String[]::new));
        } catch (UncheckedIOException e) {
            // the expected outcome: the server closes the connection instead of replying
        } catch (RespException e) {
            LOG.warn("{} refused {}: {}", name, String.join(" ", command), e.getMessage());
        }
    }

    private boolean waitForExit(Duration timeout) {
        try {
            return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return !process.isAlive();
        }
    }

    private void forget() {
        LastResort.untrack(process);
        process = null;
    }

    /** A config string argument: Redis accepts C-like escapes inside double quotes. */
    static String quote(String value) {
        return "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    private static long size(Path file) {
        try {
            return Files.exists(file) ? Files.size(file) : 0;
        } catch (IOException e) {
            return 0;
        }
    }

    private static String tail(Path file, long from) {
        try {
            if (!Files.exists(file)) {
                return "";
            }
            byte[] bytes = Files.readAllBytes(file);
            int start = (int) Math.max(Math.min(from, bytes.length), bytes.length - LOG_TAIL_CHARS);
            return new String(bytes, start, bytes.length - start, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(cannot read " + file + ": " + e.getMessage() + ")";
        }
    }

    /** The probed port was bound by someone else before redis-server could bind it. */
    private static final class PortTakenException extends Exception {
        private static final long serialVersionUID = 1L;

        PortTakenException(String address) {
            super(address + " already in use");
        }
    }
}
