package io.herald.redis.internal;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.osgi.service.cm.ConfigurationException;

import io.herald.redis.RedisConnection.Mode;

/**
 * The validated settings of one connection. {@link #parse} returns {@code null} for a connection that names no Redis
 * at all (no host, sentinels or cluster nodes): the node then runs on the embedded default.
 */
record ConnectionSettings(String name, Mode mode, String host, int port, int db, String user, String password,
        Tls tls, List<Address> sentinels, String masterName, String sentinelPassword, List<Address> clusterNodes,
        int connectTimeoutMillis, int socketTimeoutMillis, int poolMaxTotal, long retryWindowMillis) {

    static final int DEFAULT_PORT = 6379;

    /** The secrets, by their public (refused) key names; read from the private keys, with a leading dot. */
    static final List<String> SECRETS = List.of("password", "sentinelPassword", "sslTrustStorePassword", "url");

    /** {@code host:port}. */
    record Address(String host, int port) {
        @Override
        public String toString() {
            return host + ":" + port;
        }
    }

    /**
     * TLS to the data nodes. {@code caFile} (PEM) or {@code trustStore} (PKCS12 or JKS) replace the JVM's trusted CAs
     * for this connection; with neither, the JVM's trust store applies ({@code javax.net.ssl.trustStore}, else the
     * JDK's {@code cacerts}).
     */
    record Tls(boolean enabled, Path caFile, Path trustStore, String trustStorePassword, boolean verifyHostname) {

        static final Tls OFF = new Tls(false, null, null, null, true);

        /** Without the password: records print every component, and this one must never reach a log line. */
        @Override
        public String toString() {
            return describe();
        }

        /** For logs and the status action: where the trusted CAs come from. */
        String describe() {
            if (!enabled) {
                return "plain";
            }
            String trust = caFile != null ? "CA " + caFile : trustStore != null ? "trust store " + trustStore
                    : "the JVM's trusted CAs";
            return "TLS trusting " + trust + (verifyHostname ? "" : ", host name not checked");
        }
    }

    ConnectionSettings {
        sentinels = List.copyOf(sentinels);
        clusterNodes = List.copyOf(clusterNodes);
    }

    /**
     * @param values the configuration's properties (string values, as FileInstall gives them)
     * @param fallbackName the name when none is configured
     * @return the settings, or null when no Redis is configured
     * @throws IllegalArgumentException naming the key when a value is wrong
     */
    static ConnectionSettings parse(Map<String, ?> values, String fallbackName) {
        String name = text(values, "name");
        if (name.isEmpty()) {
            name = fallbackName;
        }
        String host = text(values, "host");
        List<Address> sentinels = addresses(values, "sentinels");
        List<Address> clusterNodes = addresses(values, "clusterNodes");
        RedisUrl url = RedisUrl.parse(text(values, ".url"));
        if (url != null) {
            require(host.isEmpty() && sentinels.isEmpty() && clusterNodes.isEmpty(),
                    ".url names the Redis server: set it or host, sentinels or clusterNodes, not both");
            host = url.host();
        }
        String modeText = text(values, "mode").toLowerCase(Locale.ROOT);
        Mode mode;
        switch (modeText) {
            case "", "auto" -> {
                if (!clusterNodes.isEmpty()) {
                    mode = Mode.CLUSTER;
                } else if (!sentinels.isEmpty()) {
                    mode = Mode.SENTINEL;
                } else if (!host.isEmpty()) {
                    mode = Mode.STANDALONE;
                } else {
                    return null;
                }
            }
            case "standalone" -> mode = Mode.STANDALONE;
            case "sentinel" -> mode = Mode.SENTINEL;
            case "cluster" -> mode = Mode.CLUSTER;
            default -> throw new IllegalArgumentException(
                    "mode must be auto, standalone, sentinel or cluster, not '" + modeText + "'");
        }
        String masterName = text(values, "masterName");
        switch (mode) {
            case STANDALONE -> require(!host.isEmpty(), "mode standalone needs host");
            case SENTINEL -> {
                require(!sentinels.isEmpty(), "mode sentinel needs sentinels (host:port,...)");
                require(!masterName.isEmpty(), "mode sentinel needs masterName");
            }
            case CLUSTER -> require(!clusterNodes.isEmpty(), "mode cluster needs clusterNodes (host:port,...)");
        }
        int db = integer(values, "db", 0, 0, Integer.MAX_VALUE);
        require(mode != Mode.CLUSTER || db == 0, "db must be 0 on a Redis Cluster");
        int port = integer(values, "port", DEFAULT_PORT, 1, 65535);
        String user = emptyToNull(text(values, "user"));
        String password = emptyToNull(text(values, ".password"));
        Tls tls = tls(values, url != null && url.tls());
        if (url != null) {
            require(text(values, "port").isEmpty() && text(values, "db").isEmpty() && user == null && password == null,
                    ".url carries the port, database, user and password: leave port, db, user and .password empty");
            port = url.port();
            db = url.db();
            user = url.user();
            password = url.password();
        }
        return new ConnectionSettings(name, mode, host, port, db, user, password, tls,
                sentinels, masterName, emptyToNull(text(values, ".sentinelPassword")), clusterNodes,
                integer(values, "connectTimeoutMillis", 2000, 1, Integer.MAX_VALUE),
                integer(values, "socketTimeoutMillis", 2000, 1, Integer.MAX_VALUE),
                integer(values, "poolMaxTotal", 32, 1, 10_000),
                integer(values, "retryWindowMillis", 5000, 0, Integer.MAX_VALUE));
    }

    /**
     * The TLS keys: {@code ssl}, {@code sslCaFile}, {@code sslTrustStore}, {@code .sslTrustStorePassword},
     * {@code sslVerifyHostname}; a {@code rediss://} URL turns TLS on as {@code ssl = true} does. The CA file or trust
     * store is read here, so a missing or unreadable one is a
     * configuration error naming the key, not a connection that retries forever.
     */
    private static Tls tls(Map<String, ?> values, boolean tlsUrl) {
        boolean enabled = tlsUrl || bool(values, "ssl", false);
        String caFile = text(values, "sslCaFile");
        String trustStore = text(values, "sslTrustStore");
        String trustStorePassword = text(values, ".sslTrustStorePassword");
        boolean verifyHostname = bool(values, "sslVerifyHostname", true);
        if (!enabled) {
            require(caFile.isEmpty(), "sslCaFile is set but ssl is not true");
            require(trustStore.isEmpty(), "sslTrustStore is set but ssl is not true");
            return Tls.OFF;
        }
        require(caFile.isEmpty() || trustStore.isEmpty(), "set sslCaFile or sslTrustStore, not both");
        require(trustStorePassword.isEmpty() || !trustStore.isEmpty(), ".sslTrustStorePassword needs sslTrustStore");
        Tls tls = new Tls(true, caFile.isEmpty() ? null : Path.of(caFile),
                trustStore.isEmpty() ? null : Path.of(trustStore), emptyToNull(trustStorePassword), verifyHostname);
        TlsTrust.socketFactory(tls);
        return tls;
    }

    /**
     * A secret under a key without the leading dot is refused rather than ignored: ignored, the connection would run
     * without the password the operator meant to set; taken, it would be public (Declarative Services publishes such
     * keys as service properties, ConfigAdmin treats them as public).
     *
     * @throws ConfigurationException naming the public key and the private one to write instead
     */
    static void refusePublicSecrets(Map<String, ?> values) throws ConfigurationException {
        for (String key : values.keySet()) {
            for (String secret : SECRETS) {
                // ConfigAdmin keys are case-insensitive (ConfigAdmin 104.4.3)
                if (key.equalsIgnoreCase(secret)) {
                    throw new ConfigurationException(key, "is a secret, and a key without a leading dot is public (DS"
                            + " publishes it as a service property any bundle can read): write ." + secret + " instead");
                }
            }
        }
    }

    /** Without the passwords: records print every component, and this one must never reach a log line. */
    @Override
    public String toString() {
        return "ConnectionSettings[" + name + ", " + mode + " " + address() + "]";
    }

    /** Where this connection points, for logs and the status action; never the password. */
    String address() {
        String where = switch (mode) {
            case STANDALONE -> host + ":" + port + (db == 0 ? "" : "/" + db);
            case SENTINEL -> "master '" + masterName + "' via sentinels " + join(sentinels);
            case CLUSTER -> "cluster seeds " + join(clusterNodes);
        };
        return tls.enabled() ? where + ", TLS" : where;
    }

    private static String join(List<Address> addresses) {
        return String.join(",", addresses.stream().map(Address::toString).toList());
    }

    private static String text(Map<String, ?> values, String key) {
        Object value = values.get(key);
        return value == null ? "" : String.valueOf(value).trim();
    }

    private static String emptyToNull(String text) {
        return text.isEmpty() ? null : text;
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }

    private static boolean bool(Map<String, ?> values, String key, boolean fallback) {
        String text = text(values, key).toLowerCase(Locale.ROOT);
        return switch (text) {
            case "" -> fallback;
            case "false" -> false;
            case "true" -> true;
            default -> throw new IllegalArgumentException(key + " must be true or false, not '" + text + "'");
        };
    }

    private static int integer(Map<String, ?> values, String key, int fallback, int min, int max) {
        String text = text(values, key);
        if (text.isEmpty()) {
            return fallback;
        }
        try {
            int value = Integer.parseInt(text);
            if (value < min || value > max) {
                throw new IllegalArgumentException(key + " must be between " + min + " and " + max + ", not " + value);
            }
            return value;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be a whole number, not '" + text + "'");
        }
    }

    private static List<Address> addresses(Map<String, ?> values, String key) {
        List<Address> addresses = new ArrayList<>();
        for (String part : text(values, key).split(",")) {
            String item = part.trim();
            if (item.isEmpty()) {
                continue;
            }
            int colon = item.lastIndexOf(':');
            if (colon <= 0 || colon == item.length() - 1) {
                throw new IllegalArgumentException(key + ": '" + item + "' is not host:port");
            }
            try {
                int port = Integer.parseInt(item.substring(colon + 1));
                if (port < 1 || port > 65535) {
                    throw new NumberFormatException();
                }
                addresses.add(new Address(item.substring(0, colon), port));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(key + ": '" + item + "' has no valid port");
            }
        }
        return addresses;
    }
}
