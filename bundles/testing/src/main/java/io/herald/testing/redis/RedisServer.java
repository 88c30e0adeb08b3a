package io.herald.testing.redis;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import io.herald.testing.redis.internal.RedisBinaries;
import io.herald.testing.redis.internal.TempDirs;

/**
 * One standalone {@code redis-server} on a free 127.0.0.1 port, in its own temporary directory, without persistence
 * ({@code save ""}, {@code appendonly no}): every start, including {@link #restart()}, begins with an empty database.
 * {@code DEBUG} is enabled for local clients (Redis 7 and later), so tests can {@code DEBUG SLEEP} the server.
 * {@link Builder#tls()} makes it listen on TLS only, with a throwaway CA of its own ({@link #tlsFiles()}).
 *
 * <pre>{@code
 * @AutoClose
 * static RedisServer redis = RedisServer.start();
 * ...
 * try (RespClient client = redis.client()) {
 *     client.call("SET", "k", "v");
 * }
 * }</pre>
 *
 * {@link #close()} stops the process and deletes the directory; a JVM shutdown hook does both for a test that never
 * closes. Thread-safe.
 *
 * @since 1.0
 */
public final class RedisServer implements AutoCloseable {

    private final RedisNode node;
    private final Path directory;
    private final TlsFiles tls;
    private boolean closed;

    private RedisServer(RedisNode node, Path directory, TlsFiles tls) {
        this.node = node;
        this.directory = directory;
        this.tls = tls;
    }

    /** Starts a server without a password. */
    public static RedisServer start() {
        return builder().start();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Always {@code 127.0.0.1}. */
    public String host() {
        return RedisNode.HOST;
    }

    /** The port, the same across {@link #restart()}. */
    public int port() {
        return node.port();
    }

    /** The password ({@code requirepass}), or {@code null} when the server has none. */
    public String password() {
        return node.password();
    }

    public RedisAddress address() {
        return node.address();
    }

    /** The temporary directory with {@code redis.conf} and {@code redis.log}; deleted by {@link #close()}. */
    public Path directory() {
        return directory;
    }

    /**
     * Whether the server listens on TLS only ({@link Builder#tls()}).
     *
     * @since 1.1
     */
    public boolean isTls() {
        return tls != null;
    }

    /**
     * The certificates of a {@link Builder#tls() TLS} server: trust {@link TlsFiles#caCertificate()} (or
     * {@link TlsFiles#trustStore()}) to connect; its certificate names {@code IP:127.0.0.1} only.
     *
     * @throws IllegalStateException when the server is not a TLS server
     * @since 1.1
     */
    public TlsFiles tlsFiles() {
        if (tls == null) {
            throw new IllegalStateException(this + " was not started with tls()");
        }
        return tls;
    }

    /** A new client to this server (over TLS for a TLS server), authenticated with {@link #password()} if set. */
    public RespClient client() {
        return node.client();
    }

    /** Whether the process is alive (false after {@link #stop()} or {@link #kill()}). */
    public synchronized boolean isRunning() {
        return node.isRunning();
    }

    /** {@code SHUTDOWN NOSAVE}, then waits for the process to exit. */
    public synchronized void stop() {
        node.stop();
    }

    /** SIGKILL: the server dies at once, as in a crash; clients see the connection reset. */
    public synchronized void kill() {
        node.kill();
    }

    /** Starts the server again on the same port, empty; stops it first if it runs. Waits until it answers PING. */
    public synchronized void restart() {
        if (closed) {
            throw new IllegalStateException("closed");
        }
        node.restart();
    }

    /** Stops the server and deletes its directory. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            node.stop();
        } finally {
            TempDirs.delete(directory);
        }
    }

    @Override
    public String toString() {
        return "RedisServer[" + node.address() + (password() == null ? "" : ", with password")
                + (tls == null ? "" : ", TLS") + "]";
    }

    /** Configures a {@link RedisServer}. */
    public static final class Builder {

        private String password;
        private boolean tls;
        private Duration startTimeout = Duration.ofSeconds(10);
        private final List<String> config = new ArrayList<>();

        private Builder() {
        }

        /** Requires this password ({@code requirepass}); clients must {@code AUTH}. */
        public Builder password(String password) {
            this.password = Objects.requireNonNull(password, "password");
            return this;
        }

        /**
         * Listens on TLS only ({@code tls-port}, {@code port 0}) with a throwaway CA and a server certificate for
         * {@code IP:127.0.0.1} that it signed, made with the JDK's keytool into the server's directory (about 1.5 s
         * more at start). Clients need not present a certificate ({@code tls-auth-clients no}).
         *
         * @since 1.1
         */
        public Builder tls() {
            this.tls = true;
            return this;
        }

        /**
         * Adds a config directive, written as {@code name value} into {@code redis.conf} after the defaults (so it
         * overrides them), for example {@code config("notify-keyspace-events", "KEA")}. The value is written as
         * is: quote it as redis.conf expects when it contains spaces.
         */
        public Builder config(String name, String value) {
            config.add(name + " " + value);
            return this;
        }

        /** How long {@link #start()} and {@link RedisServer#restart()} wait for PING (default 10 s). */
        public Builder startTimeout(Duration startTimeout) {
            this.startTimeout = Objects.requireNonNull(startTimeout, "startTimeout");
            return this;
        }

        /**
         * Starts the server and waits until it answers PING.
         *
         * @throws IllegalStateException when {@code redis-server} is not installed or does not start
         */
        public RedisServer start() {
            RedisBinaries.server();
            Path directory = TempDirs.create("herald-redis-");
            TlsFiles files = null;
            try {
                files = tls ? TestCertificates.generate(directory.resolve("tls")) : null;
                RedisNode node = new RedisNode("redis", directory, RedisNode.Mode.SERVER, password, startTimeout,
                        files);
                node.start(List.copyOf(config));
                return new RedisServer(node, directory, files);
            } catch (IllegalStateException e) {
                TempDirs.delete(directory);
                if (tls && String.valueOf(e.getMessage()).contains("tls-port")) {
                    throw new IllegalStateException("this redis-server does not take the tls-port directive: it was"
                            + " built without TLS (BUILD_TLS=yes; Debian's redis-server has it)", e);
                }
                throw e;
            } catch (RuntimeException e) {
                TempDirs.delete(directory);
                throw e;
            }
        }
    }
}
