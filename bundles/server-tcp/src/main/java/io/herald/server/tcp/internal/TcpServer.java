package io.herald.server.tcp.internal;

import java.net.BindException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.eclipse.jetty.server.AbstractConnectionFactory;
import org.eclipse.jetty.server.ConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.VirtualThreads;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.util.thread.Scheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.herald.api.spi.HeraldError;
import io.herald.core.tls.TlsKeys;

/**
 * The TCP server: a Jetty {@link Server} with one {@link ServerConnector} whose only protocol is the line protocol
 * ({@link LineConnectionFactory}), behind TLS when a key store is configured. Jetty's selectors wait for the bytes of
 * every client, so no thread is held per connection; actions run on the server's pool (virtual threads on Java 21+).
 *
 * <p>Stop (Actionhero's socket server stops first and waits for pending actions): the listening socket closes, lines
 * that still arrive are answered {@code SERVER_SHUTTING_DOWN}, actions in flight finish within shutdownTimeout, then
 * every connection is told the server is shutting down and closed.
 */
final class TcpServer {

    private static final Logger LOG = LoggerFactory.getLogger(TcpServer.class);
    private static final long POLL_MILLIS = 20;

    private final TcpServices services;
    private final Server server;
    private final Set<TcpClientConnection> connections = ConcurrentHashMap.newKeySet();
    private final AtomicInteger open = new AtomicInteger();
    private final Object actionsDone = new Object();
    private volatile TcpSettings settings;
    private volatile boolean stopping;
    private ServerConnector connector;

    TcpServer(TcpSettings settings, TcpServices services) {
        this.settings = settings;
        this.services = services;
        server = new Server(threadPool());
        server.setStopAtShutdown(false);
    }

    private static QueuedThreadPool threadPool() {
        QueuedThreadPool pool = new QueuedThreadPool();
        pool.setName("herald-tcp");
        // Compiled for Java 17: Jetty finds virtual threads reflectively when the JVM has them (21+).
        if (Runtime.version().feature() >= 21 && VirtualThreads.areSupported()) {
            Executor virtual = VirtualThreads.getNamedVirtualThreadsExecutor("herald-tcp-virtual");
            if (virtual != null) {
                pool.setVirtualThreadsExecutor(virtual);
            }
        }
        return pool;
    }

    /**
     * Opens the port.
     *
     * @throws IllegalStateException saying why it cannot (the port is in use, the key store cannot be read, ...)
     */
    synchronized void start() {
        TcpSettings current = settings;
        ConnectionFactory lines = new LineConnectionFactory(this);
        ServerConnector opened = current.tls() == null ? new ServerConnector(server, 1, -1, lines)
                : new ServerConnector(server, null, null, null, 1, -1,
                        AbstractConnectionFactory.getFactories(tls(current), lines));
        opened.setHost(current.bindHost());
        opened.setPort(current.port());
        opened.setIdleTimeout(current.idleTimeoutMillis() == 0 ? -1 : current.idleTimeoutMillis());
        server.addConnector(opened);
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        // Jetty looks up optional services through the context class loader: make it this bundle's, not the caller's.
        thread.setContextClassLoader(TcpServer.class.getClassLoader());
        try {
            server.start();
        } catch (Exception e) {
            stopQuietly();
            throw new IllegalStateException("tcp server cannot start: " + failure(current, e), e);
        } finally {
            thread.setContextClassLoader(previous);
        }
        connector = opened;
        LOG.info("tcp server listening on {}", where());
    }

    private static SslContextFactory.Server tls(TcpSettings settings) {
        TlsKeys keys = settings.tls();
        SslContextFactory.Server tls = new SslContextFactory.Server();
        tls.setKeyStore(keys.keyStore());
        tls.setKeyStorePassword(keys.password());
        return tls;
    }

    /** Limits of a changed configuration that keeps the address: connections opened from now on get them. */
    void apply(TcpSettings next) {
        settings = next;
    }

    /** See the class comment. Returns once every connection is closed, or after shutdownTimeout and the linger. */
    synchronized void stop() {
        String where = where();
        stopping = true;
        if (connector != null) {
            connector.setAccepting(false);
            connector.close();
        }
        long timeout = settings.shutdownTimeoutMillis();
        if (!awaitNoActions(timeout)) {
            LOG.warn("tcp server: actions still in flight after shutdownTimeout ({} ms) are cut off", timeout);
        }
        for (TcpClientConnection connection : new ArrayList<>(connections)) {
            connection.close(services.format(HeraldError.SERVER_SHUTTING_DOWN));
        }
        awaitClosed(TcpClientConnection.LINGER_MILLIS + 500);
        stopQuietly();
        LOG.info("tcp server on {} stopped", where);
    }

    private boolean awaitNoActions(long timeoutMillis) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        synchronized (actionsDone) {
            while (inFlight() > 0) {
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0) {
                    return false;
                }
                try {
                    actionsDone.wait(Math.min(left, POLL_MILLIS));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
        }
        return true;
    }

    private void awaitClosed(long timeoutMillis) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        while (!connections.isEmpty() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private int inFlight() {
        int total = 0;
        for (TcpClientConnection connection : connections) {
            total += connection.inFlight();
        }
        return total;
    }

    private void stopQuietly() {
        try {
            server.stop();
        } catch (Exception e) {
            LOG.warn("tcp server did not stop cleanly", e);
        }
    }

    /** Counts a new connection in; false when maxConnections are open already (it is then told and closed). */
    boolean admit(TcpClientConnection connection) {
        if (open.incrementAndGet() > settings.maxConnections()) {
            open.decrementAndGet();
            LOG.warn("tcp server refused a connection from {}: maxConnections ({}) are open",
                    connection.connection().remoteIp(), settings.maxConnections());
            return false;
        }
        connections.add(connection);
        return true;
    }

    void release(TcpClientConnection connection) {
        if (connections.remove(connection)) {
            open.decrementAndGet();
        }
    }

    void actionDone() {
        if (stopping) {
            synchronized (actionsDone) {
                actionsDone.notifyAll();
            }
        }
    }

    TcpSettings settings() {
        return settings;
    }

    TcpServices services() {
        return services;
    }

    Executor executor() {
        return server.getThreadPool();
    }

    Scheduler scheduler() {
        return server.getScheduler();
    }

    boolean stopping() {
        return stopping;
    }

    /** The port listened on (the chosen one when configured as 0). */
    int port() {
        return connector.getLocalPort();
    }

    /** Connections open now. */
    int openConnections() {
        return open.get();
    }

    List<TcpClientConnection> connections() {
        return List.copyOf(connections);
    }

    private String where() {
        TcpSettings current = settings;
        int port = connector != null && connector.getLocalPort() > 0 ? connector.getLocalPort() : current.port();
        return (current.tls() == null ? "tcp://" : "tls://") + (current.bindHost() == null ? "0.0.0.0"
                : current.bindHost()) + ":" + port;
    }

    private static String failure(TcpSettings settings, Exception e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof BindException bind) {
                String address = (settings.bindHost() == null ? "all interfaces" : settings.bindHost()) + " port "
                        + settings.port();
                if (bind.getMessage() != null && bind.getMessage().toLowerCase(Locale.ROOT).contains("in use")) {
                    return "port " + settings.port() + " is in use (" + address + ")";
                }
                return "cannot listen on " + address + ": " + bind.getMessage();
            }
        }
        return "on " + settings.where() + ": " + e;
    }
}
