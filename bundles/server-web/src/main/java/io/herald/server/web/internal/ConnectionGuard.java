package io.herald.server.web.internal;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.ssl.SslConnection;
import org.eclipse.jetty.io.ssl.SslHandshakeListener;
import org.eclipse.jetty.server.AbstractMetaDataConnection;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.Scheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.core.JsonProcessingException;

import io.herald.api.spi.HeraldError;
import io.herald.api.spi.Messages;
import io.herald.core.json.HeraldJson;

/**
 * What one client may hold of the server's connections: its request headers must be complete within
 * {@code requestHeaderTimeout} (a slowloris client, sending a header byte now and then, never trips Jetty's idle
 * timeout), and one address may hold at most {@code maxConnectionsPerAddress} connections (trusted proxies, which carry
 * many clients, excepted). Like nginx's {@code client_header_timeout} and {@code limit_conn}.
 *
 * <p>The header deadline needs to know when a connection is between requests and bytes of a new one are arriving: the
 * {@link #handler} wrapping the whole handler tree marks a connection busy from the moment Jetty hands it a request
 * until the response completes; a connection that is not busy and has received bytes since its last response is
 * reading headers. Each watched connection is looked at every quarter of the timeout (a scheduler task, no thread
 * waits), so a slow client is cut off between the timeout and 1.5 times it. It is closed without an answer, as nginx
 * does: its request line may not even have arrived. Over HTTPS the TLS handshake must also be complete within the
 * timeout (the headers come only after it).
 */
final class ConnectionGuard implements Connection.Listener {

    private static final Logger LOG = LoggerFactory.getLogger(ConnectionGuard.class);
    private static final long LOG_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(10);
    private static final String HTTP1_CONNECTION = "org.eclipse.jetty.server.internal.HttpConnection";

    /** The settings in force; replaced whole by a configuration change. */
    record Limits(long requestHeaderTimeoutMillis, int maxConnectionsPerAddress, TrustedProxies exempt) {
    }

    private volatile Limits limits;
    private final Map<InetAddress, AtomicInteger> perAddress = new ConcurrentHashMap<>();
    private final Map<Connection, Watch> watches = new ConcurrentHashMap<>();
    private final AtomicLong headerTimeouts = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private final Throttle logThrottle = new Throttle(LOG_INTERVAL_NANOS, System::nanoTime, true);

    private final Supplier<Messages> messages;
    /** The server's scheduler, for the TLS handshake deadline (a TLS connection has no connector to ask). */
    private final Supplier<Scheduler> scheduler;
    private final Map<Connection, Scheduler.Task> handshakes = new ConcurrentHashMap<>();

    /**
     * @param messages the message catalogue, or {@code null} from it for the default wording
     * @param scheduler the server's scheduler
     */
    ConnectionGuard(Limits limits, Supplier<Messages> messages, Supplier<Scheduler> scheduler) {
        this.limits = limits;
        this.messages = messages;
        this.scheduler = scheduler;
    }

    /** The whole HTTP response to a connection refused for its address: 503, the catalogue's words, then close. */
    byte[] refusal() {
        HeraldError error = HeraldError.TOO_MANY_CONNECTIONS;
        Object arg = limits.maxConnectionsPerAddress() + " from one address";
        Messages current = messages.get();
        String message;
        try {
            message = current != null ? current.format(error, arg) : Messages.defaults().format(error, arg);
        } catch (RuntimeException e) {
            message = Messages.defaults().format(error, arg);
        }
        byte[] body;
        try {
            body = HeraldJson.mapper().writeValueAsBytes(Map.of("error", message));
        } catch (JsonProcessingException e) {
            body = "{\"error\":\"too many connections\"}".getBytes(StandardCharsets.UTF_8);
        }
        String head = "HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: "
                + body.length + "\r\nRetry-After: 1\r\nConnection: close\r\n\r\n";
        byte[] headBytes = head.getBytes(StandardCharsets.US_ASCII);
        byte[] response = new byte[headBytes.length + body.length];
        System.arraycopy(headBytes, 0, response, 0, headBytes.length);
        System.arraycopy(body, 0, response, headBytes.length, body.length);
        return response;
    }

    void limits(Limits next) {
        limits = next;
    }

    Limits limits() {
        return limits;
    }

    /**
     * Counts a new connection from {@code address}.
     *
     * @return false when the address already holds as many connections as it may: the caller refuses this one and
     *         does not call {@link #released}
     */
    boolean admit(InetAddress address) {
        Limits current = limits;
        int max = current.maxConnectionsPerAddress();
        if (address == null || max <= 0 || current.exempt().trusts(address)) {
            perAddress.compute(address == null ? InetAddress.getLoopbackAddress() : address, ConnectionGuard::increment);
            return true;
        }
        // Counted and checked in one step of the map (compute), so a release that takes the count to 0 and removes the
        // entry can never drop a connection counted meanwhile.
        boolean[] full = new boolean[1];
        perAddress.compute(address, (a, count) -> {
            if (count != null && count.get() >= max) {
                full[0] = true;
                return count;
            }
            return increment(a, count);
        });
        if (full[0]) {
            long total = refused.incrementAndGet();
            if (logThrottle.due()) {
                LOG.warn("[refused @ web] a connection from {}: it holds {} already (maxConnectionsPerAddress); {} refused so "
                        + "far (logged at most once every 10 s)",
                        address.getHostAddress(), max, total);
            }
            return false;
        }
        return true;
    }

    /** A connection counted by {@link #admit} has closed. */
    void released(InetAddress address) {
        InetAddress key = address == null ? InetAddress.getLoopbackAddress() : address;
        perAddress.computeIfPresent(key, (a, count) -> count.decrementAndGet() <= 0 ? null : count);
    }

    private static AtomicInteger increment(InetAddress address, AtomicInteger count) {
        AtomicInteger counted = count == null ? new AtomicInteger() : count;
        counted.incrementAndGet();
        return counted;
    }

    /** How many connections {@code address} holds now. */
    int connections(InetAddress address) {
        AtomicInteger count = perAddress.get(address);
        return count == null ? 0 : count.get();
    }

    @Override
    public void onOpened(Connection connection) {
        // HTTP/1 connections only: an upgraded one (WebSocket) has its own rules, and an HTTP/2 connection receives
        // frames (PING, WINDOW_UPDATE) between requests, which are no slow headers. Jetty does not export the class.
        if (connection instanceof AbstractMetaDataConnection && HTTP1_CONNECTION.equals(connection.getClass().getName())
                && limits.requestHeaderTimeoutMillis() > 0) {
            Watch watch = new Watch(connection);
            watches.put(connection, watch);
            watch.schedule();
        } else if (connection instanceof SslConnection tls && limits.requestHeaderTimeoutMillis() > 0) {
            handshakeDeadline(tls, limits.requestHeaderTimeoutMillis());
        }
    }

    /**
     * Over HTTPS the headers come after the TLS handshake, and the HTTP/1 connection whose headers the deadline
     * watches receives nothing before it is complete: a client trickling its handshake would escape the deadline. So
     * the handshake must be complete within the same requestHeaderTimeout, or the connection is closed.
     */
    private void handshakeDeadline(SslConnection tls, long timeoutMillis) {
        Scheduler.Task task = scheduler.get().schedule(() -> {
            if (handshakes.remove(tls) != null && tls.getEndPoint().isOpen()) {
                long total = headerTimeouts.incrementAndGet();
                LOG.info("[refused @ web] closed a connection from {}: its TLS handshake was not complete after {} ms "
                        + "(requestHeaderTimeout); {} closed so far", tls.getEndPoint().getRemoteSocketAddress(),
                        timeoutMillis, total);
                tls.getEndPoint().close();
            }
        }, timeoutMillis, TimeUnit.MILLISECONDS);
        handshakes.put(tls, task);
        tls.addHandshakeListener(new SslHandshakeListener() {
            @Override
            public void handshakeSucceeded(Event event) {
                cancelHandshakeDeadline(tls);
            }

            @Override
            public void handshakeFailed(Event event, Throwable failure) {
                cancelHandshakeDeadline(tls);
            }
        });
    }

    private void cancelHandshakeDeadline(Connection tls) {
        Scheduler.Task task = handshakes.remove(tls);
        if (task != null) {
            task.cancel();
        }
    }

    @Override
    public void onClosed(Connection connection) {
        Watch watch = watches.remove(connection);
        if (watch != null) {
            watch.cancel();
        }
        cancelHandshakeDeadline(connection);
    }

    /** Wraps the handler tree: marks a connection busy while one of its requests is handled. */
    Handler handler(Handler next) {
        return new Handler.Wrapper(next) {
            @Override
            public boolean handle(Request request, Response response, Callback callback) throws Exception {
                Watch watch = watches.get(request.getConnectionMetaData().getConnection());
                if (watch == null) {
                    return super.handle(request, response, callback);
                }
                watch.started();
                Callback done = new Callback.Nested(callback) {
                    @Override
                    public void completed() {
                        watch.finished();
                    }
                };
                boolean handled;
                try {
                    handled = super.handle(request, response, done);
                } catch (Throwable failure) {
                    watch.finished();
                    throw failure;
                }
                if (!handled) {
                    watch.finished();
                }
                return handled;
            }
        };
    }

    /** One connection's header deadline. */
    private final class Watch {

        private final Connection connection;
        /** Requests handed to the handler tree, and requests whose response completed. */
        private final AtomicLong started = new AtomicLong();
        private final AtomicLong finished = new AtomicLong();
        /** Bytes received when the last response completed (0 at open). */
        private volatile long bytesAtIdle;
        /** Guarded by this: when headers were first seen arriving (for {@code startedAtFirstSight} requests), or -1. */
        private long firstSeenNanos = -1;
        private long startedAtFirstSight;
        private Scheduler.Task task;
        private boolean cancelled;

        Watch(Connection connection) {
            this.connection = connection;
        }

        void started() {
            started.incrementAndGet();
        }

        void finished() {
            bytesAtIdle = connection.getBytesIn();
            finished.incrementAndGet();
        }

        synchronized void schedule() {
            if (cancelled) {
                return;
            }
            long period = Math.max(50, limits.requestHeaderTimeoutMillis() / 4);
            task = ((AbstractMetaDataConnection) connection).getConnector().getScheduler()
                    .schedule(this::check, period, TimeUnit.MILLISECONDS);
        }

        synchronized void cancel() {
            cancelled = true;
            if (task != null) {
                task.cancel();
            }
        }

        private void check() {
            long timeout = limits.requestHeaderTimeoutMillis();
            if (timeout <= 0 || connection.getEndPoint().getConnection() != connection || !connection.getEndPoint().isOpen()) {
                return; // turned off, upgraded, or closed: stop watching
            }
            long requests = started.get();
            boolean readingHeaders = requests == finished.get() && connection.getBytesIn() > bytesAtIdle;
            boolean expired = false;
            synchronized (this) {
                long now = System.nanoTime();
                if (!readingHeaders || (firstSeenNanos >= 0 && startedAtFirstSight != requests)) {
                    firstSeenNanos = readingHeaders ? now : -1;
                    startedAtFirstSight = requests;
                } else if (firstSeenNanos < 0) {
                    firstSeenNanos = now;
                    startedAtFirstSight = requests;
                } else if (now - firstSeenNanos >= TimeUnit.MILLISECONDS.toNanos(timeout)) {
                    expired = true;
                }
            }
            if (expired) {
                long total = headerTimeouts.incrementAndGet();
                LOG.info("[refused @ web] closed a connection from {}: its request headers were not complete after {} ms "
                        + "(requestHeaderTimeout); {} closed so far", connection.getEndPoint().getRemoteSocketAddress(),
                        timeout, total);
                connection.getEndPoint().close();
                return;
            }
            schedule();
        }
    }
}
