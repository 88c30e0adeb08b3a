package io.herald.server.tcp.internal;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
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
 * @param tlsKeyStore {@code null}: plain TCP
 */
record TcpSettings(boolean enabled, String bindHost, int port, int maxLineLength, int maxMessagesPerSecond,
        long idleTimeoutMillis, int maxConnections, int maxPendingMessages, long shutdownTimeoutMillis, Path tlsKeyStore,
        String tlsKeyStorePassword) {

    /** Secrets of this PID under their public (refused) names: a password there would be readable by every bundle. */
    private static final String PUBLIC_PASSWORD_KEY = "tlsKeyStorePassword";

    static TcpSettings from(TcpServerConfig config, Map<String, ?> properties) throws ConfigurationException {
        if (properties.containsKey(PUBLIC_PASSWORD_KEY)) {
            throw new ConfigurationException(PUBLIC_PASSWORD_KEY, "is a public property every bundle can read: write "
                    + "." + PUBLIC_PASSWORD_KEY + " (with a leading dot) to keep the password private");
        }
        TcpSettings settings = new TcpSettings(config.enabled(), bindHost(config.bindHost()), range("port", config.port(), 0, 65535),
                range("maxLineLength", config.maxLineLength(), 16, Integer.MAX_VALUE - 8),
                range("maxMessagesPerSecond", config.maxMessagesPerSecond(), 1, Integer.MAX_VALUE / 2),
                nonNegative("idleTimeout", config.idleTimeout()), range("maxConnections", config.maxConnections(), 1,
                        Integer.MAX_VALUE),
                range("maxPendingMessages", config.maxPendingMessages(), 1, Integer.MAX_VALUE),
                nonNegative("shutdownTimeout", config.shutdownTimeout()), keyStore(config.tlsKeyStore()),
                Objects.requireNonNullElse(config._tlsKeyStorePassword(), ""));
        if (settings.tlsKeyStore() != null) {
            try {
                // Opened now, so a wrong password or a store without a key fails activation naming the key.
                settings.tlsKeys();
            } catch (TlsKeyException e) {
                throw new ConfigurationException(e.property(), e.reason());
            }
        }
        return settings;
    }

    /**
     * The key and certificate of tlsKeyStore, read by the core's {@link TlsKeys} as the web server reads its own.
     *
     * @throws TlsKeyException naming tlsKeyStore or .tlsKeyStorePassword
     */
    TlsKeys tlsKeys() {
        return TlsKeys.fromKeyStore("tlsKeyStore", tlsKeyStore, "." + PUBLIC_PASSWORD_KEY, tlsKeyStorePassword);
    }

    /** Whether a change from this to {@code next} needs a new listening socket (address or TLS). */
    boolean sameListener(TcpSettings next) {
        return port == next.port && Objects.equals(bindHost, next.bindHost) && Objects.equals(tlsKeyStore, next.tlsKeyStore)
                && tlsKeyStorePassword.equals(next.tlsKeyStorePassword);
    }

    /** For the log. */
    String where() {
        return (tlsKeyStore == null ? "tcp://" : "tls://") + (bindHost == null ? "0.0.0.0" : bindHost) + ":" + port;
    }

    @Override
    public String toString() {
        return "TcpSettings[" + where() + ", maxLineLength=" + maxLineLength + ", maxMessagesPerSecond="
                + maxMessagesPerSecond + ", idleTimeout=" + idleTimeoutMillis + ", maxConnections=" + maxConnections
                + ", maxPendingMessages=" + maxPendingMessages + ", shutdownTimeout=" + shutdownTimeoutMillis
                + ", tlsKeyStorePassword=" + (tlsKeyStorePassword.isEmpty() ? "(empty)" : "(set)") + "]";
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

    private static Path keyStore(String configured) throws ConfigurationException {
        String value = configured == null ? "" : configured.trim();
        if (value.isEmpty()) {
            return null;
        }
        Path path;
        try {
            path = Path.of(value).toAbsolutePath();
        } catch (InvalidPathException e) {
            throw new ConfigurationException("tlsKeyStore", "is not a valid path: \"" + value + "\" (" + e.getReason() + ")");
        }
        if (!Files.isReadable(path) || Files.isDirectory(path)) {
            throw new ConfigurationException("tlsKeyStore", "must be a readable key store file (PKCS12 or JKS), was \""
                    + value + "\"");
        }
        return path;
    }
}
