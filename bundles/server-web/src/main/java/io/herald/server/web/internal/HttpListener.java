package io.herald.server.web.internal;

import java.io.Closeable;
import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;

import org.eclipse.jetty.alpn.server.ALPNServerConnectionFactory;
import org.eclipse.jetty.http2.HTTP2Cipher;
import org.eclipse.jetty.http2.server.HTTP2CServerConnectionFactory;
import org.eclipse.jetty.http2.server.HTTP2ServerConnectionFactory;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.ManagedSelector;
import org.eclipse.jetty.io.SocketChannelEndPoint;
import org.eclipse.jetty.server.AbstractConnector;
import org.eclipse.jetty.server.ConnectionFactory;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.NetworkConnector;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.unixdomain.server.UnixDomainServerConnector;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One listening socket of the web server: a Jetty connector on a TCP port or a unix domain socket, opened on a running
 * {@link Server} (at start, or beside the old one when a live configuration change moves the server), and closed in two
 * steps: {@link #stopAccepting()} closes the listening socket at once, so new connections are refused, and from then on
 * every response on its connections says {@code Connection: close}; {@link #close()} closes whatever is left.
 *
 * <p>Not Jetty's {@code Connector.shutdown()}: once it has been called, Jetty closes a keep-alive connection right after
 * a response that did not announce it (one committed just before), racing the client's next request on it, which
 * then fails. Here the decision to close is always announced in the response's own headers
 * ({@link ResponseWriter}), so a client never sends a request on a connection the server is about to close.
 *
 * <p>Over HTTPS the connector negotiates HTTP/2 or HTTP/1.1 in the TLS handshake (ALPN); its key and its
 * {@code Strict-Transport-Security} header can be replaced while it runs ({@link #update}), as a renewed certificate
 * needs. Without TLS it may also speak HTTP/2 in clear text (h2c).
 */
final class HttpListener {

    private static final Logger LOG = LoggerFactory.getLogger(HttpListener.class);
    /** File type bits of a unix socket in {@code st_mode}. */
    private static final int SOCKET_TYPE = 0140000;
    private static final int FILE_TYPE_MASK = 0170000;

    private final ListenAddress address;
    private final Protocols protocols;
    private final Server server;
    private final AbstractConnector connector;
    /** The TLS of this listener, or {@code null} for plain HTTP. */
    private final Tls tls;
    /** The connectors whose responses say {@code Connection: close}, shared with the server's response writers. */
    private final Set<Connector> closing;
    private final AtomicInteger openConnections = new AtomicInteger();
    private final CompletableFuture<Void> drained = new CompletableFuture<>();
    private volatile boolean accepting = true;
    private boolean closed;

    /** The parts of a TLS connector that take new keys and HSTS settings while it runs. */
    private record Tls(SslContextFactory.Server context, SecureRequestCustomizer customizer) {
    }

    private HttpListener(ListenAddress address, Protocols protocols, Server server, AbstractConnector connector, Tls tls,
            Set<Connector> closing) {
        this.address = address;
        this.protocols = protocols;
        this.server = server;
        this.connector = connector;
        this.tls = tls;
        this.closing = closing;
        // Jetty adds the connector's Connection.Listeners to every connection it creates.
        connector.addEventListener(new Connection.Listener() {
            @Override
            public void onOpened(Connection connection) {
                openConnections.incrementAndGet();
            }

            @Override
            public void onClosed(Connection connection) {
                if (openConnections.decrementAndGet() == 0 && !accepting) {
                    drained.complete(null);
                }
            }
        });
    }

    /**
     * Binds the address of {@code settings} and starts accepting connections on the running {@code server}.
     *
     * @param settings the address, the protocols and keys, the accept backlog and the idle timeout of the connector
     * @param closing where {@link #stopAccepting()} registers the connector for {@code Connection: close}
     * @param guard the header deadline and the per-address connection limit of every connection accepted
     * @throws IllegalStateException saying why the address cannot be listened on (in use, not a socket, ...)
     */
    static HttpListener open(Server server, WebSettings settings, Set<Connector> closing, ConnectionGuard guard) {
        ListenAddress address = settings.address();
        if (address.isUnixSocket()) {
            prepareSocketPath(address.unixSocket());
        }
        Protocols protocols = settings.protocols();
        HttpConfiguration http = new HttpConfiguration();
        // The X-Powered-By header is Herald's, from responseHeaders; Jetty's version is nobody's business.
        http.setSendServerVersion(false);
        http.setSendXPoweredBy(false);
        Tls tls = null;
        ConnectionFactory[] factories;
        if (protocols.tls()) {
            tls = new Tls(sslContext(settings.https()), secureCustomizer(settings.https()));
            http.addCustomizer(tls.customizer());
            factories = tlsFactories(http, tls.context(), protocols.http2() && http2Available());
        } else if (protocols.h2c() && http2Available()) {
            factories = new ConnectionFactory[] { new HttpConnectionFactory(http), new HTTP2CServerConnectionFactory(http) };
        } else {
            factories = new ConnectionFactory[] { new HttpConnectionFactory(http) };
        }
        AbstractConnector built = connector(server, address, factories, guard, settings.reusePort());
        built.setIdleTimeout(settings.idleTimeoutMillis());
        if (built instanceof ServerConnector network) {
            network.setAcceptQueueSize(settings.acceptBacklog());
        } else if (built instanceof UnixDomainServerConnector unix) {
            unix.setAcceptQueueSize(settings.acceptBacklog());
        }
        // Jetty adds the connector's listeners to every connection its factories make: over TLS, to the HTTP/1
        // connection behind the TLS one too, so the header deadline covers HTTPS as it covers HTTP.
        built.addEventListener(guard);
        HttpListener listener = new HttpListener(address, protocols, server, built, tls, closing);
        AbstractConnector connector = listener.connector;
        // Added to a running server, the connector is not started by it: it is started here, and stopped by the
        // server's stop or by close().
        server.addConnector(connector);
        try {
            connector.start();
        } catch (Exception e) {
            try {
                connector.stop();
            } catch (Exception ignored) {
                LOG.debug("stopping a connector that did not start", ignored);
            }
            server.removeConnector(connector);
            throw new IllegalStateException(failure(address, e), e);
        }
        if (address.isUnixSocket()) {
            makeConnectable(address.unixSocket());
        }
        return listener;
    }

    /** The idle timeout of new connections: a live configuration change applies it without re-binding. */
    void idleTimeout(long millis) {
        connector.setIdleTimeout(millis);
    }

    private static AbstractConnector connector(Server server, ListenAddress address, ConnectionFactory[] factories,
            ConnectionGuard guard, boolean reusePort) {
        if (address.isUnixSocket()) {
            UnixConnector unix = new UnixConnector(server, factories);
            unix.setUnixDomainPath(address.unixSocket());
            return unix;
        }
        // TLS or not, the per-address count is made where connections are accepted, before any handshake.
        TcpConnector tcp = new TcpConnector(server, guard, factories);
        tcp.setHost(address.bindHost());
        tcp.setPort(address.tcpPort());
        // The nodes of `herald cluster` bind the same port; the kernel spreads new connections over their listeners.
        tcp.setReusePort(reusePort);
        return tcp;
    }

    private static boolean http2Available() {
        return JettyServiceProviders.http2Available();
    }

    /** TLS, then ALPN choosing HTTP/2 or HTTP/1.1 (HTTP/1.1 for a client that offers neither), or TLS then HTTP/1.1. */
    private static ConnectionFactory[] tlsFactories(HttpConfiguration http, SslContextFactory.Server context, boolean http2) {
        HttpConnectionFactory http1 = new HttpConnectionFactory(http);
        if (!http2) {
            return new ConnectionFactory[] { new SslConnectionFactory(context, http1.getProtocol()), http1 };
        }
        HTTP2ServerConnectionFactory h2 = new HTTP2ServerConnectionFactory(http);
        ALPNServerConnectionFactory alpn = JettyServiceProviders.alpn(h2.getProtocol(), http1.getProtocol());
        alpn.setDefaultProtocol(http1.getProtocol());
        // RFC 9113 9.2.2: HTTP/2 refuses the cipher suites it blacklists; order them last so a client gets a usable one.
        context.setCipherComparator(HTTP2Cipher.COMPARATOR);
        return new ConnectionFactory[] { new SslConnectionFactory(context, alpn.getProtocol()), alpn, h2, http1 };
    }

    private static SslContextFactory.Server sslContext(HttpsSettings https) {
        SslContextFactory.Server context = new SslContextFactory.Server();
        context.setKeyStore(https.keys().keyStore());
        context.setKeyStorePassword(https.keys().password());
        return context;
    }

    private static SecureRequestCustomizer secureCustomizer(HttpsSettings https) {
        SecureRequestCustomizer customizer = new SecureRequestCustomizer();
        // Node's https server (Actionhero) answers whatever Host a client names; a certificate that does not cover it
        // is the client's to refuse, not a 400 from here (Jetty's default).
        customizer.setSniHostCheck(false);
        customizer.setStsMaxAge(https.hstsMaxAge());
        customizer.setStsIncludeSubDomains(https.hstsIncludeSubDomains());
        return customizer;
    }

    /**
     * Takes the keys and HSTS settings of {@code next}, whose address and protocols are this listener's: handshakes
     * from now on present the new certificate; open connections keep theirs.
     *
     * @throws IllegalStateException when Jetty cannot take the new keys; the old ones stay in use
     */
    void update(WebSettings next) {
        if (tls == null || next.https() == null) {
            return;
        }
        HttpsSettings https = next.https();
        try {
            tls.context().reload(context -> {
                context.setKeyStore(https.keys().keyStore());
                context.setKeyStorePassword(https.keys().password());
            });
        } catch (Exception e) {
            throw new IllegalStateException("cannot use the new key of " + https.keys().source() + ": " + e.getMessage(), e);
        }
        tls.customizer().setStsMaxAge(https.hstsMaxAge());
        tls.customizer().setStsIncludeSubDomains(https.hstsIncludeSubDomains());
    }

    Protocols protocols() {
        return protocols;
    }

    /** A connector whose listening socket can be closed at once, while it runs. */
    private interface StopsAccepting {

        /** Returns once the listening socket is closed for good: connection attempts are refused from then on. */
        void closeListeningSocket();
    }

    /** An {@code accept()} call of a connector. */
    private interface Accept {

        void run() throws IOException;
    }

    /**
     * The acceptor side of a connector that stops accepting at once. The JDK closes a listening socket for good only
     * when no thread is blocked in {@code accept()} on it; until then the kernel keeps completing handshakes into its
     * backlog, and those connections are reset. So {@link #stop} closes the channel, then waits for the acceptor thread to
     * leave {@code accept()}: a client told {@code Connection: close} afterwards is refused, never reset. The channel is
     * accepted on by a thread, not a selector: a channel registered with a selector stays open until the selector next
     * wakes up. (Interrupting the acceptor instead would lose a connection accepted in the same instant.)
     */
    private static final class AcceptGate {

        private final ReentrantLock inAccept = new ReentrantLock();
        private volatile boolean stopped;

        void accept(Accept accept) throws IOException {
            inAccept.lock();
            try {
                if (!stopped) {
                    accept.run();
                }
            } finally {
                inAccept.unlock();
            }
        }

        void stop(AbstractConnector connector) {
            stopped = true;
            connector.setAccepting(false);
            if (connector.getTransport() instanceof Closeable channel) {
                try {
                    channel.close();
                } catch (IOException e) {
                    LOG.warn("cannot close the listening socket of {}: {}", connector, e.toString());
                }
            }
            inAccept.lock();
            inAccept.unlock();
        }

        /** The acceptor's failure when the socket was closed under it on purpose: it ends, nothing failed. */
        boolean stopped() {
            return stopped;
        }
    }

    /**
     * A TCP connector that counts connections per client address ({@link ConnectionGuard#admit}): one over the limit is
     * answered 503 at once and closed, before Jetty sees it.
     */
    private static final class TcpConnector extends ServerConnector implements StopsAccepting {

        private final AcceptGate gate = new AcceptGate();
        private final ConnectionGuard guard;

        TcpConnector(Server server, ConnectionGuard guard, ConnectionFactory... factories) {
            super(server, 1, -1, factories);
            this.guard = guard;
        }

        @Override
        public void accept(int acceptorID) throws IOException {
            gate.accept(() -> acceptOne());
        }

        /** ServerConnector's accept, with the per-address count between the accept and the selector. */
        private void acceptOne() throws IOException {
            if (!(getTransport() instanceof ServerSocketChannel server) || !server.isOpen()) {
                return;
            }
            SocketChannel channel = server.accept();
            InetAddress remote = remoteAddress(channel);
            if (!guard.admit(remote)) {
                if (getDefaultConnectionFactory() instanceof SslConnectionFactory) {
                    // A TLS client cannot read a 503 in clear text, and a handshake for a refusal costs what the
                    // limit saves: the connection is closed.
                    channel.close();
                } else {
                    refuse(channel, guard.refusal());
                }
                return;
            }
            try {
                channel.configureBlocking(false);
                configure(channel.socket());
                getSelectorManager().accept(channel);
            } catch (IOException | RuntimeException e) {
                guard.released(remote);
                channel.close();
                throw e;
            }
        }

        @Override
        protected SocketChannelEndPoint newEndPoint(SocketChannel channel, ManagedSelector selector, SelectionKey key) {
            InetAddress remote = remoteAddress(channel);
            SocketChannelEndPoint endPoint = new SocketChannelEndPoint(channel, selector, key, getScheduler()) {
                @Override
                public void onClose(Throwable cause) {
                    try {
                        super.onClose(cause);
                    } finally {
                        guard.released(remote);
                    }
                }
            };
            endPoint.setIdleTimeout(getIdleTimeout());
            return endPoint;
        }

        private static InetAddress remoteAddress(SocketChannel channel) {
            try {
                return channel.getRemoteAddress() instanceof InetSocketAddress inet ? inet.getAddress() : null;
            } catch (IOException e) {
                return null;
            }
        }

        /**
         * Answers a connection refused for its address with a 503 it can read (it is still in blocking mode, and a few
         * hundred bytes fit in an empty send buffer), then closes it.
         */
        private static void refuse(SocketChannel channel, byte[] response) {
            try (channel) {
                channel.write(ByteBuffer.wrap(response));
                channel.shutdownOutput();
            } catch (IOException e) {
                LOG.debug("refusing a connection", e);
            }
        }

        @Override
        protected boolean handleAcceptFailure(Throwable failure) {
            return !gate.stopped() && super.handleAcceptFailure(failure);
        }

        @Override
        public void closeListeningSocket() {
            gate.stop(this);
        }
    }

    private static final class UnixConnector extends UnixDomainServerConnector implements StopsAccepting {

        private final AcceptGate gate = new AcceptGate();

        UnixConnector(Server server, ConnectionFactory... factories) {
            super(server, 1, -1, factories);
        }

        @Override
        protected void accept(int acceptorID) throws IOException {
            gate.accept(() -> super.accept(acceptorID));
        }

        @Override
        protected boolean handleAcceptFailure(Throwable failure) {
            return !gate.stopped() && super.handleAcceptFailure(failure);
        }

        @Override
        public void closeListeningSocket() {
            gate.stop(this);
        }
    }

    ListenAddress address() {
        return address;
    }

    /** The TCP port listened on (the chosen one when configured as 0), or -1 on a unix socket. */
    int port() {
        return connector instanceof NetworkConnector network ? network.getLocalPort() : -1;
    }

    /** The listening channel, whose identity tells whether a configuration change re-bound the server. */
    Object transport() {
        return connector.getTransport();
    }

    /** For the log: {@code http://127.0.0.1:8080} or {@code unix socket /tmp/herald.sock}. */
    String where() {
        if (address.isUnixSocket()) {
            return "unix socket " + address.unixSocket();
        }
        return protocols.scheme() + "://" + (address.bindHost() == null ? "0.0.0.0" : address.bindHost()) + ":" + port();
    }

    /**
     * Closes the listening socket (new connections are refused), then makes every response on the open connections say
     * {@code Connection: close}. In that order: a client told to reconnect finds the socket closed, never a connection
     * accepted just before the close.
     *
     * @return completes once the last connection of this listener has closed
     */
    CompletableFuture<Void> stopAccepting() {
        ((StopsAccepting) connector).closeListeningSocket();
        closing.add(connector);
        accepting = false;
        if (openConnections.get() == 0) {
            drained.complete(null);
        }
        return drained;
    }

    /** Closes the connections still open and forgets the connector; removes the unix socket file. */
    synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            connector.stop();
        } catch (Exception e) {
            LOG.warn("the web server's listener on {} did not stop cleanly", address.description(), e);
        }
        server.removeConnector(connector);
        closing.remove(connector);
        if (address.isUnixSocket()) {
            try {
                Files.deleteIfExists(address.unixSocket());
            } catch (IOException e) {
                LOG.warn("cannot remove unix socket {}: {}", address.unixSocket(), e.toString());
            }
        }
    }

    private static String failure(ListenAddress address, Exception e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof BindException bind) {
                if (bind.getMessage() != null && bind.getMessage().toLowerCase(Locale.ROOT).contains("in use")) {
                    return (address.isUnixSocket() ? "unix socket " + address.unixSocket() : "port " + address.tcpPort())
                            + " is in use (" + address.description() + ")";
                }
                return "cannot listen on " + address.description() + ": " + bind.getMessage();
            }
        }
        return "cannot listen on " + address.description() + ": " + e;
    }

    /**
     * Removes a stale socket file left by a server that did not stop cleanly (Actionhero's {@code cleanSocket}), but
     * never a socket another process still listens on, nor a file that is not a socket.
     */
    private static void prepareSocketPath(Path socket) {
        if (!Files.exists(socket, LinkOption.NOFOLLOW_LINKS)) {
            if (socket.getParent() != null && !Files.isDirectory(socket.getParent())) {
                throw new IllegalStateException("the directory of unix socket " + socket + " does not exist");
            }
            return;
        }
        if (!isSocket(socket)) {
            throw new IllegalStateException(socket + " exists and is not a unix socket; remove it or choose another path for port");
        }
        if (isAccepting(socket)) {
            throw new IllegalStateException("unix socket " + socket + " is in use by another process");
        }
        try {
            Files.delete(socket);
            LOG.info("removed stale unix socket {}", socket);
        } catch (IOException e) {
            throw new IllegalStateException("cannot remove stale unix socket " + socket + ": " + e, e);
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
