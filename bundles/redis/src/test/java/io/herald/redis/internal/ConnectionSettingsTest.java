package io.herald.redis.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.herald.redis.RedisConnection.Mode;

import org.junit.jupiter.api.Test;

/** How a connection's configuration (as the shipped .cfg files give it, empty values included) is read. */
class ConnectionSettingsTest {

    /** What config/io.herald.redis.connection-client.cfg stages when no REDIS_* variable is set. */
    private static Map<String, Object> emptyDefaults() {
        Map<String, Object> config = new HashMap<>();
        for (String key : List.of("host", "port", "db", "password", "sentinels", "masterName", "clusterNodes")) {
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
}
