package io.herald.tasks.internal.failover;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.herald.redis.RedisConnection;
import io.herald.redis.internal.RedisConnections;
import io.herald.testing.Await;
import io.herald.testing.redis.RedisAddress;
import io.herald.testing.redis.RespClient;
import io.herald.testing.redis.SentinelTopology;

/**
 * What the failure tests share: {@code tasks} connections configured as {@code io.herald.redis.connection-tasks.cfg}
 * would configure them, polling waits with explicit bounds, and plain RESP reads of the raw keys (so the tests check
 * what Redis holds, not what the store makes of it).
 */
final class Failures {

    static final ObjectMapper JSON = new ObjectMapper();

    private Failures() {
    }

    /**
     * A connection through the topology's sentinels whose commands are retried for {@code retryWindowMillis}: long
     * enough to span a failover (down-after 2 s, election, promotion), as a production configuration should be.
     */
    static RedisConnections.Opened sentinel(SentinelTopology topology, long retryWindowMillis) {
        Map<String, Object> config = base(retryWindowMillis);
        config.put("sentinels", topology.sentinelAddresses().stream().map(RedisAddress::toString)
                .collect(Collectors.joining(",")));
        config.put("masterName", topology.masterName());
        return opened(config);
    }

    static RedisConnections.Opened standalone(String host, int port, long retryWindowMillis) {
        Map<String, Object> config = base(retryWindowMillis);
        config.put("host", host);
        config.put("port", String.valueOf(port));
        return opened(config);
    }

    private static Map<String, Object> base(long retryWindowMillis) {
        Map<String, Object> config = new HashMap<>();
        config.put("name", "tasks");
        config.put("connectTimeoutMillis", "1000");
        config.put("socketTimeoutMillis", "3000");
        config.put("retryWindowMillis", String.valueOf(retryWindowMillis));
        return config;
    }

    private static RedisConnections.Opened opened(Map<String, Object> config) {
        RedisConnections.Opened connection = RedisConnections.open(config);
        try {
            Await.until(() -> connection.state() == RedisConnection.State.CONNECTED, Duration.ofSeconds(30),
                    "connection tasks CONNECTED");
        } catch (AssertionError e) {
            connection.close();
            throw e;
        }
        return connection;
    }


    /** A counter's value, 0 when the key does not exist. */
    static long counter(RespClient redis, String key) {
        String value = redis.callString("GET", key);
        return value == null ? 0 : Long.parseLong(value);
    }

    static List<String> strings(List<Object> values) {
        List<String> out = new ArrayList<>(values.size());
        values.forEach(value -> out.add((String) value));
        return out;
    }

    static List<String> lrange(RespClient redis, String key) {
        return strings(redis.callList("LRANGE", key, "0", "-1"));
    }

    /** {@code KEYS pattern} (test databases are small enough). */
    static List<String> keys(RespClient redis, String pattern) {
        return strings(redis.callList("KEYS", pattern));
    }

    static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new AssertionError("not JSON: " + text, e);
        }
    }
}
