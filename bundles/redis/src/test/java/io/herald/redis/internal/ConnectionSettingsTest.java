package io.herald.redis.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.herald.redis.RedisConnection.Mode;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.service.cm.ConfigurationException;

/** How a connection's configuration (as the shipped .cfg files give it, empty values included) is read. */
class ConnectionSettingsTest {

    /** What config/io.herald.redis.connection-client.cfg stages when no REDIS_* variable is set. */
    private static Map<String, Object> emptyDefaults() {
        Map<String, Object> config = new HashMap<>();
        for (String key : List.of("host", "port", "db", ".password", "sentinels", "masterName", "clusterNodes")) {
            config.put(key, "");
        }
        config.put("name", "client");
        config.put("mode", "auto");
        return config;
    }

    @Test
    void nothing_set_is_not_configured() {
        assertNull(ConnectionSettings.parse(emptyDefaults(), "client"));
    }

    /**
     * The launcher installs this bundle only while a staged connection matches {@link RedisConnectionComponent#NAMES_A_REDIS}
     * (its blank values left out): exactly the configurations this bundle would not ignore.
     */
    @Test
    void the_declared_install_rule_matches_what_names_a_redis() throws Exception {
        org.osgi.framework.Filter rule = org.osgi.framework.FrameworkUtil.createFilter(RedisConnectionComponent.NAMES_A_REDIS);
        List<Map<String, Object>> samples = List.of(emptyDefaults(), Map.of(), Map.of("mode", " AUTO "),
                Map.of("host", "redis.local"), Map.of("mode", "auto", "sentinels", "s1:26379", "masterName", "m"),
                Map.of("clusterNodes", "c1:7000"), Map.of("mode", "Standalone"), Map.of("mode", "cluster", "host", "h"),
                Map.of(".url", "redis://h:7000"), Map.of(".url", "rediss://:pw@h"), Map.of(".url", "http://h"));
        for (Map<String, Object> sample : samples) {
            Map<String, Object> config = new HashMap<>(emptyDefaults());
            config.putAll(sample);
            Map<String, Object> nonBlank = new HashMap<>(config);
            nonBlank.values().removeIf(value -> value.toString().isBlank());
            boolean namesARedis;
            try {
                namesARedis = ConnectionSettings.parse(config, "x") != null;
            } catch (IllegalArgumentException configurationError) {
                namesARedis = true; // reported by this bundle, which must be installed for that
            }
            assertEquals(namesARedis, rule.matches(nonBlank), config.toString());
        }
    }

    @Test
    void a_url_names_the_server_its_port_database_user_and_password_as_heroku_hands_it_out() {
        Map<String, Object> config = emptyDefaults();
        config.put(".url", "redis://:p%40ss@redis.example.com:6380/2");

        ConnectionSettings settings = ConnectionSettings.parse(config, "client");

        assertEquals(io.herald.redis.RedisConnection.Mode.STANDALONE, settings.mode());
        assertEquals("redis.example.com", settings.host());
        assertEquals(6380, settings.port());
        assertEquals(2, settings.db());
        assertNull(settings.user());
        assertEquals("p@ss", settings.password());
        assertFalse(settings.tls().enabled());
        assertFalse(settings.toString().contains("p@ss") || settings.toString().contains("p%40ss"), settings.toString());

        config.put(".url", "rediss://alice:secret@redis.example.com");
        ConnectionSettings tls = ConnectionSettings.parse(config, "client");
        assertTrue(tls.tls().enabled(), "rediss:// is TLS");
        assertEquals(6379, tls.port());
        assertEquals(0, tls.db());
        assertEquals("alice", tls.user());
        assertEquals("secret", tls.password());
    }

    @Test
    void a_wrong_url_or_one_beside_a_host_is_refused_without_showing_the_password() {
        for (String[] wrong : new String[][] {
                { "http://:secret@h:1", ".url must start with redis:// or rediss://" },
                { "redis://:secret@", ".url names no host" },
                { "redis://:secret@h:1/x", ".url has a path that is not a database number" },
                { "redis://:secret@h:1:2", ".url " } }) {
            Map<String, Object> config = emptyDefaults();
            config.put(".url", wrong[0]);
            IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                    () -> ConnectionSettings.parse(config, "client"), wrong[0]);
            assertTrue(error.getMessage().startsWith(wrong[1]), error.getMessage());
            assertFalse(error.getMessage().contains("secret"), error.getMessage());
        }
        Map<String, Object> both = emptyDefaults();
        both.put(".url", "redis://h2:1");
        both.put("host", "h1");
        assertEquals(".url names the Redis server: set it or host, sentinels or clusterNodes, not both",
                assertThrows(IllegalArgumentException.class, () -> ConnectionSettings.parse(both, "client")).getMessage());
        Map<String, Object> port = emptyDefaults();
        port.put(".url", "redis://h2:1");
        port.put("port", "7000");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ConnectionSettings.parse(port, "client")).getMessage()
                .startsWith(".url carries the port"));
    }

    @Test
    void auto_picks_cluster_then_sentinel_then_standalone() {
        Map<String, Object> config = emptyDefaults();
        config.put("host", "redis.local");
        assertEquals(Mode.STANDALONE, ConnectionSettings.parse(config, "x").mode());
        config.put("sentinels", "s1:26379, s2:26379");
        config.put("masterName", "mymaster");
        ConnectionSettings sentinel = ConnectionSettings.parse(config, "x");
        assertEquals(Mode.SENTINEL, sentinel.mode());
        assertEquals(List.of(new ConnectionSettings.Address("s1", 26379), new ConnectionSettings.Address("s2", 26379)),
                sentinel.sentinels());
        config.put("clusterNodes", "c1:7000,c2:7001");
        assertEquals(Mode.CLUSTER, ConnectionSettings.parse(config, "x").mode());
    }

    @Test
    void empty_values_take_the_defaults() {
        Map<String, Object> config = emptyDefaults();
        config.put("host", "redis.local");
        ConnectionSettings settings = ConnectionSettings.parse(config, "x");
        assertEquals(6379, settings.port());
        assertEquals(0, settings.db());
        assertNull(settings.password());
        assertEquals(5000, settings.retryWindowMillis());
        assertEquals("client", settings.name());
        assertEquals("redis.local:6379", settings.address());
    }

    @Test
    void the_name_falls_back_to_the_file_name() {
        Map<String, Object> config = emptyDefaults();
        config.put("name", "");
        config.put("host", "h");
        assertEquals("cache", ConnectionSettings.parse(config, "cache").name());
        assertEquals("cache", RedisConnectionComponent.nameFromFile(Map.of("felix.fileinstall.filename",
                "file:/srv/herald/data/config/io.herald.redis.connection-cache.cfg")));
    }

    @Test
    void wrong_values_name_the_key() {
        Map<String, Object> config = emptyDefaults();
        config.put("host", "h");
        config.put("port", "sixty");
        assertEquals("port must be a whole number, not 'sixty'",
                assertThrows(IllegalArgumentException.class, () -> ConnectionSettings.parse(config, "x")).getMessage());
        config.put("port", "");
        config.put("sentinels", "s1");
        assertEquals("sentinels: 's1' is not host:port",
                assertThrows(IllegalArgumentException.class, () -> ConnectionSettings.parse(config, "x")).getMessage());
        config.put("sentinels", "s1:26379");
        assertEquals("mode sentinel needs masterName",
                assertThrows(IllegalArgumentException.class, () -> ConnectionSettings.parse(config, "x")).getMessage());
        config.put("mode", "master-slave");
        assertThrows(IllegalArgumentException.class, () -> ConnectionSettings.parse(config, "x"));
    }

    @Test
    void tls_is_off_unless_ssl_is_true_and_then_trusts_the_jvm_and_checks_host_names() {
        Map<String, Object> config = emptyDefaults();
        config.put("host", "redis.local");
        config.put("ssl", "false");
        ConnectionSettings plain = ConnectionSettings.parse(config, "x");
        assertFalse(plain.tls().enabled());
        assertEquals("redis.local:6379", plain.address());

        config.put("ssl", "true");
        ConnectionSettings tls = ConnectionSettings.parse(config, "x");
        assertTrue(tls.tls().enabled());
        assertTrue(tls.tls().verifyHostname());
        assertEquals(null, TlsTrust.socketFactory(tls.tls()), "the JVM's trust store");
        assertEquals("HTTPS", TlsTrust.parameters(tls.tls()).getEndpointIdentificationAlgorithm());
        assertEquals("redis.local:6379, TLS", tls.address());
        config.put("sslVerifyHostname", "false");
        assertEquals(null, TlsTrust.parameters(ConnectionSettings.parse(config, "x").tls())
                .getEndpointIdentificationAlgorithm());
        config.put("sslVerifyHostname", "no");
        assertEquals("sslVerifyHostname must be true or false, not 'no'",
                assertThrows(IllegalArgumentException.class, () -> ConnectionSettings.parse(config, "x")).getMessage());
    }

    @Test
    void a_ca_file_is_read_when_the_configuration_is(@TempDir Path directory) throws Exception {
        Map<String, Object> config = emptyDefaults();
        config.put("host", "redis.local");
        Path ca = directory.resolve("ca.pem");
        Files.writeString(ca, pem(aCertificateTheJdkShips()));
        config.put("sslCaFile", ca.toString());
        assertEquals("sslCaFile is set but ssl is not true",
                assertThrows(IllegalArgumentException.class, () -> ConnectionSettings.parse(config, "x")).getMessage());

        config.put("ssl", "true");
        ConnectionSettings settings = ConnectionSettings.parse(config, "x");
        assertEquals(ca, settings.tls().caFile());
        assertTrue(TlsTrust.socketFactory(settings.tls()) != null);

        config.put("sslTrustStore", directory.resolve("trust.p12").toString());
        assertEquals("set sslCaFile or sslTrustStore, not both",
                assertThrows(IllegalArgumentException.class, () -> ConnectionSettings.parse(config, "x")).getMessage());
        config.remove("sslTrustStore");

        config.put("sslCaFile", directory.resolve("missing.pem").toString());
        assertEquals("sslCaFile " + directory.resolve("missing.pem") + " cannot be read: no such file",
                assertThrows(IllegalArgumentException.class, () -> ConnectionSettings.parse(config, "x")).getMessage());
        Path garbage = directory.resolve("garbage.pem");
        Files.writeString(garbage, "not a certificate");
        config.put("sslCaFile", garbage.toString());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ConnectionSettings.parse(config, "x"))
                .getMessage().startsWith("sslCaFile " + garbage + " "));
    }

    @Test
    void a_trust_store_needs_its_password(@TempDir Path directory) throws Exception {
        Path store = directory.resolve("trust.p12");
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", aCertificateTheJdkShips());
        try (var out = Files.newOutputStream(store)) {
            trust.store(out, "secret".toCharArray());
        }
        Map<String, Object> config = emptyDefaults();
        config.put("host", "redis.local");
        config.put("ssl", "true");
        config.put("sslTrustStore", store.toString());
        config.put(".sslTrustStorePassword", "secret");
        assertEquals(store, ConnectionSettings.parse(config, "x").tls().trustStore());

        config.put(".sslTrustStorePassword", "wrong");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ConnectionSettings.parse(config, "x"))
                .getMessage().startsWith("sslTrustStore " + store + " cannot be read"));
        config.put("sslTrustStore", "");
        assertEquals(".sslTrustStorePassword needs sslTrustStore",
                assertThrows(IllegalArgumentException.class, () -> ConnectionSettings.parse(config, "x")).getMessage());
    }

    @Test
    void secrets_are_read_from_their_private_keys_and_never_printed() throws Exception {
        Map<String, Object> config = emptyDefaults();
        config.put("sentinels", "s1:26379");
        config.put("masterName", "mymaster");
        config.put(".password", "leader-s3cret");
        config.put(".sentinelPassword", "sentinel-s3cret");
        ConnectionSettings.refusePublicSecrets(config);
        ConnectionSettings settings = ConnectionSettings.parse(config, "x");
        assertEquals("leader-s3cret", settings.password());
        assertEquals("sentinel-s3cret", settings.sentinelPassword());
        assertFalse(settings.toString().contains("s3cret"), settings.toString());
        assertFalse(new ConnectionSettings.Tls(true, null, Path.of("t.p12"), "store-s3cret", true).toString()
                .contains("s3cret"));
    }

    @Test
    void a_secret_under_its_public_key_is_refused() {
        for (String key : List.of("password", "sentinelPassword", "sslTrustStorePassword", "PASSWORD")) {
            Map<String, Object> config = emptyDefaults();
            config.put("host", "redis.local");
            config.put(key, "s3cret");
            ConfigurationException e = assertThrows(ConfigurationException.class,
                    () -> ConnectionSettings.refusePublicSecrets(config));
            assertEquals(key, e.getProperty());
            String privateKey = key.equals("PASSWORD") ? ".password" : "." + key;
            assertTrue(e.getReason().endsWith("write " + privateKey + " instead"), e.getReason());
            assertFalse(e.getMessage().contains("s3cret"));
        }
    }

    /** Any CA certificate: the first of the JDK's own trust store. */
    private static Certificate aCertificateTheJdkShips() throws IOException, GeneralSecurityException {
        KeyStore cacerts = KeyStore.getInstance(KeyStore.getDefaultType());
        try (InputStream in = Files.newInputStream(Path.of(System.getProperty("java.home"), "lib", "security",
                "cacerts"))) {
            cacerts.load(in, null);
        }
        return cacerts.getCertificate(cacerts.aliases().nextElement());
    }

    private static String pem(Certificate certificate) throws GeneralSecurityException {
        return "-----BEGIN CERTIFICATE-----\n" + Base64.getMimeEncoder().encodeToString(certificate.getEncoded())
                + "\n-----END CERTIFICATE-----\n";
    }
}
