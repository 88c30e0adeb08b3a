package io.herald.server.web.internal;

import java.io.IOException;
import java.net.BindException;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.NetworkConnector;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.unixdomain.server.UnixDomainServerConnector;
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

/**
 * The embedded Jetty server: one connector (TCP or unix domain socket) and this handler tree:
 * <pre>
 * Server                         error handler: JettyErrorHandler (JSON errors for what Jetty refuses itself)
 *  └ GracefulHandler             counts requests in flight so a stop lets them finish
 *     └ (CORS and compression handlers go here: they wrap everything below)
 *        └ Handler.Sequence      the first handler that takes the request serves it
 *           ├ ActionHandler      &lt;urlPathForActions&gt;/...
 *           ├ (static file handler goes here)
 *           └ NotFoundHandler    404 NOT_FOUND as JSON
 * </pre>
 */
final class WebServer {

    private static final Logger LOG = LoggerFactory.getLogger(WebServer.class);
    /** File type bits of a unix socket in {@code st_mode}. */
    private static final int SOCKET_TYPE = 0140000;
    private static final int FILE_TYPE_MASK = 0170000;

    private final WebSettings settings;
    private final Supplier<ActionRunner> runner;
    private final RoutesFile routes;
    private final Server server;
    private final Connector connector;

    /**
     * @param runner the core's runner; may return {@code null} while it is being replaced
     * @param messages the message catalogue; may return {@code null} for the default wording
     */
    WebServer(WebSettings settings, Supplier<ActionRunner> runner, ServerIdentity identity, Supplier<Messages> messages) {
        this.settings = settings;
        this.runner = runner;
        ObjectMapper mapper = Json.newMapper();
        this.routes = new RoutesFile(settings.routesFile(), mapper, System::nanoTime);
        ResponseWriter writer = new ResponseWriter(mapper, settings.responseHeaders(), messages,
                new BodyDrain(settings.maxDrainSize(), settings.drainTimeoutMillis()));
        ResponseMetadata metadata = new ResponseMetadata(settings.serverInformation(), settings.requesterInformation(),
                identity, runner, System::nanoTime);
        ActionHandler actions = new ActionHandler(settings.actionsPath(), runner, routes,
                new RequestBody(settings.maxBodySize(), mapper), new Fingerprints(settings.fingerprintCookie()), metadata, writer);

        server = new Server(threadPool());
        server.setStopTimeout(settings.shutdownTimeoutMillis());
        server.setStopAtShutdown(false);
        server.setErrorHandler(new JettyErrorHandler(writer, settings.maxBodySize()));
        server.setHandler(handlers(actions, writer));
        connector = connector(server, settings);
        server.addConnector(connector);
    }

    private static Handler handlers(ActionHandler actions, ResponseWriter writer) {
        GracefulHandler graceful = new GracefulHandler();
        graceful.setHandler(new Handler.Sequence(actions, new NotFoundHandler(writer)));
        return graceful;
    }

    private static QueuedThreadPool threadPool() {
        QueuedThreadPool pool = new QueuedThreadPool();
        pool.setName("herald-web");
        // Compiled for Java 17: Jetty finds virtual threads reflectively when the JVM has them (21+).
        if (Runtime.version().feature() >= 21 && VirtualThreads.areSupported()) {
            Executor virtual = VirtualThreads.getNamedVirtualThreadsExecutor("herald-web-virtual");
            if (virtual != null) {
                pool.setVirtualThreadsExecutor(virtual);
            }
        }
        return pool;
    }

    private static Connector connector(Server server, WebSettings settings) {
        HttpConfiguration http = new HttpConfiguration();
        // The X-Powered-By header is Herald's, from responseHeaders; Jetty's version is nobody's business.
        http.setSendServerVersion(false);
        http.setSendXPoweredBy(false);
        HttpConnectionFactory factory = new HttpConnectionFactory(http);
        if (settings.unixSocket() != null) {
            UnixDomainServerConnector unix = new UnixDomainServerConnector(server, factory);
            unix.setUnixDomainPath(settings.unixSocket());
            return unix;
        }
        ServerConnector tcp = new ServerConnector(server, factory);
        tcp.setHost(settings.bindHost());
        tcp.setPort(settings.tcpPort());
        return tcp;
    }

    /**
     * Loads the routes and opens the port.
     *
     * @throws IllegalStateException saying the port or socket is in use, or why the server cannot start
     * @throws IllegalArgumentException for a broken routes file
     */
    void start() {
        routes.load();
        if (settings.unixSocket() != null) {
            prepareSocketPath(settings.unixSocket());
        }
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        // Jetty looks up optional services through the context class loader: make it this bundle's, not the caller's.
        thread.setContextClassLoader(WebServer.class.getClassLoader());
        try {
            server.start();
        } catch (Exception e) {
            stopAfterFailedStart();
            if (isBindFailure(e)) {
                throw new IllegalStateException("web server cannot start: " + (settings.unixSocket() != null
                        ? "unix socket " + settings.unixSocket() : "port " + settings.tcpPort()) + " is in use ("
                        + settings.listenDescription() + ")", e);
            }
            throw new IllegalStateException("web server cannot start on " + settings.listenDescription() + ": " + e, e);
        } finally {
            thread.setContextClassLoader(previous);
        }
        if (settings.unixSocket() != null) {
            makeConnectable(settings.unixSocket());
        }
        LOG.info("web server listening on {} (actions under {}/, {} threads)", where(), settings.actionsPathPrefix(),
                VirtualThreads.isUseVirtualThreads(server.getThreadPool()) ? "virtual" : "platform");
    }

    /** Stops accepting connections, lets requests in flight finish within shutdownTimeout, then closes. */
    void stop() {
        try {
            server.stop();
        } catch (Exception e) {
            LOG.warn("web server did not stop cleanly", e);
        }
        if (settings.unixSocket() != null) {
            try {
                Files.deleteIfExists(settings.unixSocket());
            } catch (IOException e) {
                LOG.warn("cannot remove unix socket {}: {}", settings.unixSocket(), e.toString());
            }
        }
        LOG.info("web server on {} stopped", settings.listenDescription());
    }

    /** The TCP port listened on (the chosen one when configured as 0), or -1 on a unix socket. */
    int port() {
        return connector instanceof NetworkConnector network ? network.getLocalPort() : -1;
    }

    /**
     * The routes served: the automatic {@code GET|POST <urlPathForActions>/<action>} of every action, then the
     * routes file's routes, for the {@link RouteTable} service.
     */
    List<RouteTable.Route> routes() {
        String prefix = settings.actionsPathPrefix();
        List<RouteTable.Route> table = new ArrayList<>();
        ActionRunner current = runner.get();
        if (current != null) {
            TreeSet<String> names = new TreeSet<>();
            for (ActionDescriptor action : current.actions()) {
                names.add(action.name());
            }
            for (String name : names) {
                table.add(new RouteTable.Route("GET", prefix + "/" + name, name, 0));
                table.add(new RouteTable.Route("POST", prefix + "/" + name, name, 0));
            }
        }
        for (Route route : routes.current().declared()) {
            String path = route.documentedPath();
            String full = path.equals("/") ? (prefix.isEmpty() ? "/" : prefix) : prefix + path;
            table.add(new RouteTable.Route(route.method().toUpperCase(Locale.ROOT), full, route.action(), route.apiVersion()));
        }
        return table;
    }

    private String where() {
        if (settings.unixSocket() != null) {
            return "unix socket " + settings.unixSocket();
        }
        return "http://" + (settings.bindHost() == null ? "0.0.0.0" : settings.bindHost()) + ":" + port();
    }

    private void stopAfterFailedStart() {
        try {
            server.stop();
        } catch (Exception e) {
            LOG.debug("stopping after a failed start", e);
        }
    }

    private static boolean isBindFailure(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof BindException) {
                return true;
            }
        }
        return false;
    }

    /**
     * Removes a stale socket file left by a server that did not stop cleanly (Actionhero's {@code cleanSocket}), but
     * never a socket another process still listens on, nor a file that is not a socket.
     */
    private static void prepareSocketPath(Path socket) {
        if (!Files.exists(socket, LinkOption.NOFOLLOW_LINKS)) {
            if (socket.getParent() != null && !Files.isDirectory(socket.getParent())) {
                throw new IllegalStateException("web server cannot start: the directory of unix socket " + socket
                        + " does not exist");
            }
            return;
        }
        if (!isSocket(socket)) {
            throw new IllegalStateException("web server cannot start: " + socket
                    + " exists and is not a unix socket; remove it or choose another path for port");
        }
        if (isAccepting(socket)) {
            throw new IllegalStateException("web server cannot start: unix socket " + socket
                    + " is in use by another process");
        }
        try {
            Files.delete(socket);
            LOG.info("removed stale unix socket {}", socket);
        } catch (IOException e) {
            throw new IllegalStateException("web server cannot start: cannot remove stale unix socket " + socket + ": " + e, e);
        }
    }

    private static boolean isSocket(Path path) {
        try {
            int mode = (Integer) Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS);
            return (mode & FILE_TYPE_MASK) == SOCKET_TYPE;
        } catch (UnsupportedOperationException | IllegalArgumentException | IOException e) {
            return !Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS) && !Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS);
        }
    }

    private static boolean isAccepting(Path socket) {
        try {
            SocketChannel.open(UnixDomainSocketAddress.of(socket)).close();
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Lets other users (nginx) connect, as Actionhero's {@code chmodSocket} does with mode 0777. */
    private static void makeConnectable(Path socket) {
        try {
            Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rwxrwxrwx"));
        } catch (IOException | UnsupportedOperationException e) {
            LOG.warn("cannot make unix socket {} connectable by other users: {}", socket, e.toString());
        }
    }
}
