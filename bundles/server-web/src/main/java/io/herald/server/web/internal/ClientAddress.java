package io.herald.server.web.internal;

import java.net.InetSocketAddress;
import java.net.SocketAddress;

import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.server.Request;

/**
 * The client's address: from {@code X-Forwarded-For}, {@code X-Forwarded-Port} and {@code X-Real-IP} when a proxy
 * set them, else the socket's. This is Actionhero's {@code parseHeadersForClientAddress}, which trusts these headers
 * unconditionally: run the server behind a proxy that sets them, or on a private interface.
 *
 * @param ip the client's IP address
 * @param port the client's port, or 0 when unknown (a unix socket, or a proxy that does not say)
 */
record ClientAddress(String ip, int port) {

    /** Actionhero's fallback when the socket has no IP address (a unix domain socket). */
    static final String UNKNOWN_IP = "0.0.0.0";

    static ClientAddress of(Request request) {
        HttpFields headers = request.getHeaders();
        String ip = null;
        String port = null;
        String forwardedFor = headers.get("X-Forwarded-For");
        if (forwardedFor != null) {
            // The first entry is the original client; later ones are the proxies on the way.
            int comma = forwardedFor.indexOf(',');
            String first = (comma < 0 ? forwardedFor : forwardedFor.substring(0, comma)).trim();
            String[] hostAndPort = splitHostPort(first);
            ip = hostAndPort[0];
            port = hostAndPort[1];
        }
        String forwardedPort = headers.get("X-Forwarded-Port");
        if (forwardedPort != null) {
            port = forwardedPort.trim();
        }
        String realIp = headers.get("X-Real-IP");
        if (realIp != null && !realIp.isBlank()) {
            ip = realIp.trim();
        }
        SocketAddress socket = request.getConnectionMetaData().getRemoteSocketAddress();
        InetSocketAddress inet = socket instanceof InetSocketAddress i ? i : null;
        if (ip == null || ip.isEmpty()) {
            ip = inet == null || inet.getAddress() == null ? UNKNOWN_IP : inet.getAddress().getHostAddress();
        }
        int portNumber = parsePort(port);
        if (portNumber < 0) {
            portNumber = inet == null ? 0 : inet.getPort();
        }
        return new ClientAddress(ip, portNumber);
    }

    /** Splits {@code 1.2.3.4}, {@code 1.2.3.4:5678}, {@code ::ffff:1.2.3.4}, {@code [::1]:5678} or {@code ::1}. */
    static String[] splitHostPort(String value) {
        if (value.startsWith("[")) {
            int close = value.indexOf(']');
            if (close < 0) {
                return new String[] { value, null };
            }
            String host = value.substring(1, close);
            String rest = value.substring(close + 1);
            return new String[] { host, rest.startsWith(":") ? rest.substring(1) : null };
        }
        String host = value;
        if (host.startsWith("::ffff:") && host.indexOf('.') > 0) {
            // An IPv4 address written as IPv6, as Node reports them.
            host = host.substring("::ffff:".length());
        }
        int firstColon = host.indexOf(':');
        if (firstColon >= 0 && firstColon == host.lastIndexOf(':')) {
            // One colon: IPv4 with a port. More than one: a bare IPv6 address.
            return new String[] { host.substring(0, firstColon), host.substring(firstColon + 1) };
        }
        return new String[] { host, null };
    }

    private static int parsePort(String port) {
        if (port == null || port.isEmpty() || port.length() > 5) {
            return -1;
        }
        for (int i = 0; i < port.length(); i++) {
            if (!Character.isDigit(port.charAt(i))) {
                return -1;
            }
        }
        int value = Integer.parseInt(port);
        return value <= 65535 ? value : -1;
    }
}
