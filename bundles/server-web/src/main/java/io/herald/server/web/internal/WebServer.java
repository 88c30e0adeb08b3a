package io.herald.server.web.internal;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

import org.eclipse.jetty.io.ArrayByteBufferPool;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.VirtualThreads;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.herald.api.ActionDescriptor;
import io.herald.api.spi.ActionRunner;
import io.herald.api.spi.Messages;
import io.herald.api.spi.RouteTable;
import io.herald.api.spi.ServerIdentity;
import io.herald.core.json.HeraldJson;

/**
 * The embedded Jetty server: one {@link HttpListener} (TCP or unix domain socket; HTTP, h2c or HTTPS) and this handler
 * tree:
 * <pre>
 * Server                         error handler: JettyErrorHandler (JSON errors for what Jetty refuses itself)
 *  └ ConnectionGuard's wrapper   marks a connection busy while a request of it is handled (header deadline)
 *  └ GracefulHandler             counts requests in flight; during a stop, answers new ones 503
 *     └ ResponseCompression      brotli or gzip by Accept-Encoding above compressionMinSize (Jetty's CompressionHandler)
 *        └ SiteHandler           the Site of the current settings, swapped whole by a live configuration change
 *           └ CrossOriginHandler Jetty's CORS handler, when some origin is allowed (corsAllowedOrigins)
 *              └ PreflightHandler answers CORS preflights: 204, or 403 ORIGIN_NOT_ALLOWED
 *                 └ Handler.Sequence   the first handler that takes the request serves it
 *                    ├ ActionHandler   &lt;urlPathForActions&gt;/...
 *                    ├ StaticFiles     urlPathForFiles (and / with rootEndpointType = file): Jetty's ResourceHandler
 *                    └ NotFoundHandler 404 NOT_FOUND as JSON
 * </pre>
 *
 * <p>A configuration change that keeps the address swaps the site and keeps the listener and its connections. One that
 * moves the address opens the new listener first, then retires the old one: its listening socket closes at once and its
 * connections finish their requests (bounded by shutdownTimeout). If the new address cannot be bound, the server keeps
 * listening on the old one.
 */
final class WebServer {

    private static final Logger LOG = LoggerFactory.getLogger(WebServer.class);
    /**
     * With {@code reusePort}, how long a stopping server keeps serving its open connections (each response closing its
     * connection) before it answers 503: a client that sends a request in this time is answered normally and
     * reconnects to another node. Short, because an idle keep-alive connection only closes when its client next sends.
     */
    static final long REUSE_PORT_DRAIN_MILLIS = 2_000;

    private final Supplier<ActionRunner> runner;
    private final ServerIdentity identity;
    private final Supplier<Messages> messages;
    private final ObjectMapper mapper = HeraldJson.mapper();
    private final Server server;
    private final GracefulHandler graceful = new GracefulHandler();
    private final ExtensionHandlers extensions;
    private final SiteHandler site;
    /** Header deadlines and per-address connection counts of every listener. */
    private final ConnectionGuard guard;
    private final ResponseCompression compression;
    /** Connectors of listeners that stopped accepting: their responses say {@code Connection: close}. */
    private final Set<Connector> closing = ConcurrentHashMap.newKeySet();
    /** The settings last applied; guarded by {@code this}. */
    private WebSettings settings;
    /** The listener on the configured address (the previous one while a move failed). */
    private volatile HttpListener listener;
    /** Listeners left by a move, still finishing their requests; guarded by {@code this}. */
    private final Set<HttpListener> retired = new HashSet<>();

    /**
     * @param runner the core's runner; may return {@code null} while it is being replaced
     * @param messages the message catalogue; may return {@code null} for the default wording
     */
    WebServer(WebSettings settings, Supplier<ActionRunner> runner, ServerIdentity identity, Supplier<Messages> messages) {
        this(settings, runner, identity, messages, new ExtensionHandlers());
    }

    /** @param extensions other bundles' handlers served on this port (the WebSocket upgrade) */
    WebServer(WebSettings settings, Supplier<ActionRunner> runner, ServerIdentity identity, Supplier<Messages> messages,
            ExtensionHandlers extensions) {
        this.extensions = extensions;
        QueuedThreadPool pool = threadPool(settings.pools());
        Executor virtual = pool.getVirtualThreadsExecutor();
        this.site = new SiteHandler(extensions, virtual);
        this.settings = settings;
        this.runner = runner;
        this.identity = identity;
        this.messages = messages;
        // Before Jetty's header fields are first used: HTTP/2 needs its encoder found then (JettyServiceProviders).
        JettyServiceProviders.http2Available();
        server = new Server(pool, null, bufferPool(settings.pools()));
        server.setStopAtShutdown(false);
        server.setErrorHandler(new JettyErrorHandler(site::site));
        guard = new ConnectionGuard(guardLimits(settings), messages, server::getScheduler);
        compression = new ResponseCompression(site, settings.compression());
        graceful.setHandler(compression);
        server.setHandler(guard.handler(graceful));
    }

    private static ConnectionGuard.Limits guardLimits(WebSettings settings) {
        ClientLimits limits = settings.clientLimits();
        return new ConnectionGuard.Limits(limits.requestHeaderTimeoutMillis(), limits.maxConnectionsPerAddress(),
                settings.trustedProxies());
    }

    private static QueuedThreadPool threadPool(PoolSettings settings) {
        QueuedThreadPool pool = new WebThreadPool();
        pool.setName("herald-web");
        size(pool, settings);
        // Fixed once the pool runs: Jetty's reserved-thread executor refuses a new idle timeout while it runs.
        pool.setIdleTimeout((int) settings.idleTimeoutMillis());
        pool.setReservedThreads(settings.reservedThreads());
        // Compiled for Java 17: Jetty finds virtual threads reflectively when the JVM has them (21+).
        if (Runtime.version().feature() >= 21 && VirtualThreads.areSupported()) {
            Executor virtual = VirtualThreads.getNamedVirtualThreadsExecutor("herald-web-virtual");
            if (virtual != null) {
                pool.setVirtualThreadsExecutor(virtual);
            }
        }
        return pool;
    }

    /**
     * The bounds of the pool, which a live configuration change may move. Every idle thread above the minimum leaves after one idle
     * timeout ({@link WebThreadPool}): Jetty's default lets one leave per idle timeout, so a pool grown to 64 threads by
     * a burst took an hour to shrink back.
     */
    private static void size(QueuedThreadPool pool, PoolSettings settings) {
        // The minimum first when it falls below the current maximum, else the maximum first: each setter checks the other.
        if (settings.minThreads() <= pool.getMaxThreads()) {
            pool.setMinThreads(settings.minThreads());
            pool.setMaxThreads(settings.maxThreads());
        } else {
            pool.setMaxThreads(settings.maxThreads());
            pool.setMinThreads(settings.minThreads());
        }
    }

    /** Jetty's buffer pool, bounded: by default it keeps up to an eighth of the maximum heap, in heap and direct each. */
    private static ArrayByteBufferPool bufferPool(PoolSettings settings) {
        return new ArrayByteBufferPool(0, 0, -1, -1, settings.maxBufferPoolMemory(), settings.maxBufferPoolMemory());
    }

    /**
     * Loads the routes and opens the port.
     *
     * @throws IllegalStateException saying the port or socket is in use, or why the server cannot start
     * @throws IllegalArgumentException for a broken routes file
     */
    synchronized void start() {
        Site first = Site.build(settings, null, mapper, runner, identity, messages, closing::contains);
        site.site(first);
        try {
            listener = withBundleClassLoader(() -> {
                server.start();
                first.start(server);
                extensions.attach(server);
                return HttpListener.open(server, settings, closing, guard);
            });
        } catch (Exception e) {
            stopAfterFailedStart();
            throw new IllegalStateException("web server cannot start: " + (e instanceof IllegalStateException
                    ? e.getMessage() : "on " + settings.address().description() + ": " + e), e);
        }
        LOG.info("web server listening on {} (actions under {}/, {} threads{})", listener.where(),
                settings.actionsPathPrefix(), VirtualThreads.isUseVirtualThreads(server.getThreadPool()) ? "virtual" : "platform",
                tlsDescription(settings));
    }

    /**
     * Applies a changed configuration to the running server. Requests already running finish with the settings they
     * started with; the listener and its connections stay unless the address changed (see the class comment).
     *
     * @throws IllegalArgumentException for a broken new routes file: nothing has changed then
     */
    synchronized void apply(WebSettings next) {
        Site previous = site.site();
        Site built = Site.build(next, previous, mapper, runner, identity, messages, closing::contains);
        try {
            withBundleClassLoader(() -> {
                built.start(server);
                return null;
            });
        } catch (Exception e) {
            built.stop();
            throw new IllegalArgumentException("the static files cannot be served: " + e, e);
        }
        boolean sameListener = next.address().equals(listener.address()) && next.protocols().equals(listener.protocols());
        if (sameListener) {
            // New keys (a renewed certificate) go into the running listener; a failure leaves everything as it was.
            try {
                listener.update(next);
            } catch (RuntimeException e) {
                built.stop();
                throw e;
            }
        }
        site.site(built);
        compression.apply(next.compression());
        // Requests that started on the previous site finish on it: its handlers stop once they had the time to.
        server.getScheduler().schedule(previous::stop, next.shutdownTimeoutMillis(), TimeUnit.MILLISECONDS);
        settings = next;
        guard.limits(guardLimits(next));
        listener.idleTimeout(next.idleTimeoutMillis());
        // threadIdleTimeout, reservedThreads and maxBufferPoolMemory apply at the next start: Jetty fixes them then.
        size((QueuedThreadPool) server.getThreadPool(), next.pools());
        if (sameListener) {
            LOG.info("web server on {} applied a configuration change; its connections stay open{}", listener.where(),
                    tlsDescription(next));
        } else {
            move(next);
        }
    }

    /** For the log: {@code , HTTPS with HTTP/2 and HTTP/1.1, certificate CN=..., valid until ...}. */
    private static String tlsDescription(WebSettings settings) {
        HttpsSettings https = settings.https();
        if (https == null) {
            return settings.protocols().h2c() && JettyServiceProviders.http2Available() ? ", HTTP/1.1 and HTTP/2 cleartext" : "";
        }
        boolean http2 = https.http2() && JettyServiceProviders.http2Available();
        return ", HTTPS with " + (http2 ? "HTTP/2 and HTTP/1.1" : "HTTP/1.1") + ", certificate " + https.keys().description()
                + (https.hstsMaxAge() >= 0 ? ", Strict-Transport-Security max-age=" + https.hstsMaxAge() : "");
    }

    private void move(WebSettings next) {
        HttpListener old = listener;
        if (next.address().equals(old.address())) {
            // The new listener would need the port the old one holds.
            LOG.error("web server keeps listening on {}: turning HTTPS, http2 or h2c on or off on the same address needs "
                    + "a restart of the node; the other settings of the change apply", old.where());
            return;
        }
        HttpListener moved;
        try {
            moved = withBundleClassLoader(() -> HttpListener.open(server, next, closing, guard));
        } catch (Exception e) {
            LOG.error("web server keeps listening on {}: cannot move to {}: {}", old.where(), next.address().description(),
                    e.getMessage());
            return;
        }
        String from = old.where();
        listener = moved;
        retire(old, next.shutdownTimeoutMillis());
        LOG.info("web server listening on {}, moved from {} (its connections finish their requests first)", moved.where(),
                from);
    }

    /** Closes the listening socket of {@code old} now and its connections once they are done (in the background). */
    private void retire(HttpListener old, long timeoutMillis) {
        retired.add(old);
        CompletableFuture<Void> connectionsClosed = old.stopAccepting();
        Thread closer = new Thread(() -> {
            if (!await(connectionsClosed, timeoutMillis)) {
                LOG.warn("web server: connections to {} still open after shutdownTimeout ({} ms) are closed",
                        old.address().description(), timeoutMillis);
            }
            old.close();
            synchronized (this) {
                retired.remove(old);
            }
        }, "herald-web-retire");
        closer.setDaemon(true);
        closer.start();
    }

    /**
     * Stops in the order that loses no request: Jetty's GracefulHandler answers requests arriving on open connections
     * with 503 from now on, each listener closes its listening socket (new connections are refused) and announces
     * {@code Connection: close} on every response, the requests in flight finish within shutdownTimeout, and then the
     * connections left (idle ones) close.
     *
     * <p>With {@code reusePort} (a node of {@code herald cluster}) other nodes serve the same port, so a request on an
     * open connection is better served than refused: the listening socket closes first and the connections stay served,
     * each response saying {@code Connection: close}, so their clients reconnect to another node; only what is still
     * open after {@link #REUSE_PORT_DRAIN_MILLIS} gets 503 (the Node cluster's worker disconnect does the same: the
     * worker stops taking connections and finishes those it has). A load generator sees no failed request.
     */
    synchronized void stop() {
        long timeout = settings.shutdownTimeoutMillis();
        String where = listener != null ? listener.where() : settings.address().description();
        List<HttpListener> listeners = new ArrayList<>(retired);
        if (listener != null) {
            listeners.add(listener);
        }
        if (settings.reusePort()) {
            List<CompletableFuture<Void>> closed = new ArrayList<>();
            for (HttpListener open : listeners) {
                closed.add(open.stopAccepting());
            }
            long drain = Math.min(timeout, REUSE_PORT_DRAIN_MILLIS);
            if (!await(CompletableFuture.allOf(closed.toArray(CompletableFuture[]::new)), drain)) {
                LOG.info("web server on {}: connections still open after {} ms are answered 503 from now on", where, drain);
            }
        }
        CompletableFuture<Void> inFlight = graceful.shutdown();
        for (HttpListener open : listeners) {
            open.stopAccepting();
        }
        if (!await(inFlight, timeout)) {
            LOG.warn("web server: requests still in flight after shutdownTimeout ({} ms) are cut off", timeout);
        }
        extensions.detach();
        Site last = site.site();
        if (last != null) {
            last.stop();
        }
        // Nothing is left in flight: close the idle connections now instead of waiting for their clients to leave.
        server.setStopTimeout(0);
        try {
            server.stop();
        } catch (Exception e) {
            LOG.warn("web server did not stop cleanly", e);
        }
        for (HttpListener open : listeners) {
            open.close();
        }
        LOG.info("web server on {} stopped", where);
    }

    /** The TCP port listened on (the chosen one when configured as 0), or -1 on a unix socket. */
    int port() {
        return listener.port();
    }

    /** The listening channel: the same object as long as no configuration change moved the server. */
    Object transport() {
        return listener.transport();
    }

    /**
     * The routes served: the automatic {@code GET|POST <urlPathForActions>/<action>} of every action, then the
     * routes file's routes, for the {@link RouteTable} service.
     */
    List<RouteTable.Route> routes() {
        Site current = site.site();
        if (current == null) {
            return List.of();
        }
        String prefix = current.settings().actionsPathPrefix();
        List<RouteTable.Route> table = new ArrayList<>();
        ActionRunner actions = runner.get();
        if (actions != null) {
            TreeSet<String> names = new TreeSet<>();
            for (ActionDescriptor action : actions.actions()) {
                names.add(action.name());
            }
            for (String name : names) {
                table.add(new RouteTable.Route("GET", prefix + "/" + name, name, 0));
                table.add(new RouteTable.Route("POST", prefix + "/" + name, name, 0));
            }
        }
        for (Route route : current.routes().current().declared()) {
            String path = route.documentedPath();
            String full = path.equals("/") ? (prefix.isEmpty() ? "/" : prefix) : prefix + path;
            table.add(new RouteTable.Route(route.method().toUpperCase(Locale.ROOT), full, route.action(), route.apiVersion()));
        }
        return table;
    }

    private static <T> T withBundleClassLoader(Callable<T> action) throws Exception {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        // Jetty looks up optional services through the context class loader: make it this bundle's, not the caller's.
        thread.setContextClassLoader(WebServer.class.getClassLoader());
        try {
            return action.call();
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    /** Waits for {@code done}; false when {@code timeoutMillis} passed first. */
    private static boolean await(CompletableFuture<Void> done, long timeoutMillis) {
        try {
            done.get(timeoutMillis, TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (ExecutionException e) {
            LOG.debug("graceful shutdown", e);
            return true;
        }
    }

    private void stopAfterFailedStart() {
        try {
            server.stop();
        } catch (Exception e) {
            LOG.debug("stopping after a failed start", e);
        }
    }
}
