package io.herald.server.web.internal;

import java.nio.file.Path;

/**
 * Where the web server listens: a TCP port on one address or on every interface, or a unix domain socket. Two
 * configurations with equal addresses share the listener; a live configuration change re-binds only when this
 * changes. Port 0 is compared as configured (any free port), not as the port it got.
 *
 * @param tcpPort the TCP port, or -1 for a unix socket
 * @param bindHost the address to bind, or {@code null} for every interface (always {@code null} for a unix socket)
 * @param unixSocket the socket path, or {@code null} for TCP
 */
record ListenAddress(int tcpPort, String bindHost, Path unixSocket) {

    static ListenAddress tcp(int port, String bindHost) {
        return new ListenAddress(port, bindHost, null);
    }

    static ListenAddress unix(Path socket) {
        return new ListenAddress(-1, null, socket);
    }

    boolean isUnixSocket() {
        return unixSocket != null;
    }

    /** For log lines and error messages: {@code 127.0.0.1 port 8080}, {@code unix socket /tmp/herald.sock}. */
    String description() {
        if (unixSocket != null) {
            return "unix socket " + unixSocket;
        }
        return (bindHost == null ? "all interfaces" : bindHost) + " port " + tcpPort;
    }
}
