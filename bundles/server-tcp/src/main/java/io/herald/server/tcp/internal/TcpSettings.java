package io.herald.server.tcp.internal;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Map;
import java.util.Objects;

import org.osgi.service.cm.ConfigurationException;

import io.herald.core.tls.TlsKeyException;
import io.herald.core.tls.TlsKeys;

/**
 * The TCP server's configuration, checked. Every mistake is a {@link ConfigurationException} naming the key, what was
 * given and what is accepted; metatype already checked types and minimums, this checks what it cannot express.
 *
 * @param bindHost the address to listen on, {@code null} for every interface
 * @param idleTimeoutMillis 0: connections never time out
 * @param tls the key and certificate, read by the core's {@link TlsKeys} as the web server reads its own; {@code null}:
 *        plain TCP
 */
record TcpSettings(boolean enabled, String bindHost, int port, int maxLineLength, int maxMessagesPerSecond,
        long idleTimeoutMillis, int maxConnections, int maxPendingMessages, long shutdownTimeoutMillis, TlsKeys tls) {

    /** Secrets of this PID under their public (refused) names: a password there would be readable by every bundle. */
    private static final String PUBLIC_PASSWORD_KEY = "tlsKeyStorePassword";

    static TcpSettings from(TcpServerConfig config, Map<String, ?> properties) throws ConfigurationException {
        if (properties.containsKey(PUBLIC_PASSWORD_KEY)) {
            throw new ConfigurationException(PUBLIC_PASSWORD_KEY, "is a public property every bundle can read: write "
                    + "." + PUBLIC_PASSWORD_KEY + " (with a leading dot) to keep the password private");
        }
        TlsKeys tls;
        try {
            // Opened now, so a missing file, a key of another certificate or a wrong password fails activation naming
            // the key.
            tls = TlsKeys.configured(config.tlsCertificate(), config.tlsPrivateKey(), config.tlsKeyStore(),
                    config._tlsKeyStorePassword());
        } catch (TlsKeyException e) {
            throw new ConfigurationException(e.property(), e.reason());
        }
        return new TcpSettings(config.enabled(), bindHost(config.bindHost()), range("port", config.port(), 0, 65535),
                range("maxLineLength", config.maxLineLength(), 16, Integer.MAX_VALUE - 8),
                range("maxMessagesPerSecond", config.maxMessagesPerSecond(), 1, Integer.MAX_VALUE / 2),
                nonNegative("idleTimeout", config.idleTimeout()), range("maxConnections", config.maxConnections(), 1,
                        Integer.MAX_VALUE),
                range("maxPendingMessages", config.maxPendingMessages(), 1, Integer.MAX_VALUE),
                nonNegative("shutdownTimeout", config.shutdownTimeout()), tls);
    }

    /** Whether a change from this to {@code next} needs a new listening socket (address or TLS files). */
    boolean sameListener(TcpSettings next) {
        return port == next.port && Objects.equals(bindHost, next.bindHost) && Objects.equals(tlsSource(), next.tlsSource());
    }

    private String tlsSource() {
        return tls == null ? null : tls.source();
    }

    /** For the log. */
    String where() {
        return (tls == null ? "tcp://" : "tls://") + (bindHost == null ? "0.0.0.0" : bindHost) + ":" + port;
    }

    @Override
    public String toString() {
        return "TcpSettings[" + where() + ", maxLineLength=" + maxLineLength + ", maxMessagesPerSecond="
                + maxMessagesPerSecond + ", idleTimeout=" + idleTimeoutMillis + ", maxConnections=" + maxConnections
                + ", maxPendingMessages=" + maxPendingMessages + ", shutdownTimeout=" + shutdownTimeoutMillis
                + (tls == null ? "" : ", tls=" + tls.source()) + "]";
    }

    private static int range(String key, int value, int min, int max) throws ConfigurationException {
        if (value < min || value > max) {
            throw new ConfigurationException(key, "must be between " + min + " and " + max + ", was " + value);
        }
        return value;
    }

    private static long nonNegative(String key, long value) throws ConfigurationException {
        if (value < 0) {
            throw new ConfigurationException(key, "must be 0 or more milliseconds, was " + value);
        }
        return value;
    }

    private static String bindHost(String configured) throws ConfigurationException {
        String host = configured == null ? "" : configured.trim();
        if (host.isEmpty()) {
            return null;
        }
        String literal = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        if (literal.chars().anyMatch(c -> c <= ' ' || c == '/' || c == '?' || c == '#')) {
            throw new ConfigurationException("bindHost", "must be an IP address or a host name (empty: every interface), was \""
                    + configured + "\"");
        }
        if (literal.indexOf(':') >= 0) {
            try {
                // A text with a colon is parsed as an IPv6 literal and never looked up.
                InetAddress.getByName(literal);
            } catch (UnknownHostException e) {
                throw new ConfigurationException("bindHost", "is not a valid IPv6 address: \"" + configured + "\"");
            }
        }
        return literal;
    }

}
