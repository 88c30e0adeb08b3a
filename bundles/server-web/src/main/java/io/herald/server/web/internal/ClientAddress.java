package io.herald.server.web.internal;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.List;

import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.server.Request;

/**
 * The client of a request: its address and port, and whether it reached us over TLS. From the socket, unless the
 * connection comes from a {@linkplain TrustedProxies trusted proxy}: then {@code X-Forwarded-For} gives the address
 * (the right-most entry that is not itself a trusted proxy: entries to its left were written by the client and may
 * be forged), else {@code X-Real-IP}; {@code X-Forwarded-Port} the port; {@code X-Forwarded-Proto: https} says TLS.
 * Actionhero's {@code parseHeadersForClientAddress} believes these headers from anyone and takes the left-most
 * entry, so any client can choose its address, and with it its rate limits.
 *
 * @param ip the client's IP address
 * @param port the client's port, or 0 when unknown (a unix socket, or a proxy that does not say)
 * @param secure whether the client's request came over TLS, to us or to the trusted proxy
 */
record ClientAddress(String ip, int port, boolean secure) {

    /** Actionhero's fallback when the socket has no IP address (a unix domain socket). */
    static final String UNKNOWN_IP = "0.0.0.0";

    static ClientAddress of(Request request, TrustedProxies proxies) {
        SocketAddress socket = request.getConnectionMetaData().getRemoteSocketAddress();
        InetSocketAddress inet = socket instanceof InetSocketAddress i ? i : null;
        String socketIp = inet == null || inet.getAddress() == null ? UNKNOWN_IP : inet.getAddress().getHostAddress();
        int socketPort = inet == null ? 0 : inet.getPort();
        // A unix domain socket is reached only from this host: a local proxy.
        boolean fromProxy = inet == null || proxies.trusts(inet.getAddress());
        if (!fromProxy) {
            return new ClientAddress(socketIp, socketPort, request.isSecure());
        }
        HttpFields headers = request.getHeaders();
        String ip = null;
        String port = null;
        List<String> forwardedFor = headers.getCSV("X-Forwarded-For", false);
        for (int i = forwardedFor.size() - 1; i >= 0; i--) {
            String[] hostAndPort = splitHostPort(forwardedFor.get(i).trim());
            ip = hostAndPort[0];
            port = hostAndPort[1];
            if (!proxies.trusts(ip)) {
                break;
            }
        }
        if (ip == null || ip.isEmpty()) {
            String realIp = headers.get("X-Real-IP");
            ip = realIp == null || realIp.isBlank() ? null : realIp.trim();
        }
        if (ip == null) {
            // No forwarding header: the socket's own address, a literal already (no second parse per request).
            ip = socketIp;
        } else if (TrustedProxies.literal(ip) == null) {
            // "unknown" (RFC 7239's obfuscated client) or garbage: the proxy's own address is the best there is.
            ip = socketIp;
            port = null;
        }
        String forwardedPort = headers.get("X-Forwarded-Port");
        if (forwardedPort != null) {
            port = forwardedPort.trim();
        }
        int portNumber = parsePort(port);
        String proto = headers.get("X-Forwarded-Proto");
        boolean secure = request.isSecure() || (proto != null && proto.trim().equalsIgnoreCase("https"));
        return new ClientAddress(ip, portNumber < 0 ? (ip.equals(socketIp) ? socketPort : 0) : portNumber, secure);
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
