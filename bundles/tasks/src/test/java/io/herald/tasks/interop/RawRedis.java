package io.herald.tasks.interop;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import io.herald.testing.redis.RedisServer;
import io.herald.testing.redis.RespClient;

/**
 * The raw keys, read with a plain RESP client and full key names ({@code resque:queue:math}), so the tests check
 * what is stored, not what either library makes of it. Not thread-safe, like the client it wraps.
 */
final class RawRedis implements AutoCloseable {

    private final RespClient client;

    RawRedis(RedisServer server) {
        this.client = RespClient.connect(server.address(), server.password(), Duration.ofSeconds(10));
    }

    Object call(String... command) {
        return client.call(command);
    }

    String get(String key) {
        return client.callString("GET", key);
    }

    boolean exists(String key) {
        return client.callLong("EXISTS", key) == 1;
    }

    long llen(String key) {
        return client.callLong("LLEN", key);
    }

    List<String> lrange(String key) {
        return strings(client.callList("LRANGE", key, "0", "-1"));
    }

    Set<String> smembers(String key) {
        return new TreeSet<>(strings(client.callList("SMEMBERS", key)));
    }

    List<String> zrange(String key) {
        return strings(client.callList("ZRANGE", key, "0", "-1"));
    }

    /** {@code KEYS pattern}, sorted (test databases are small). */
    Set<String> keys(String pattern) {
        return new TreeSet<>(strings(client.callList("KEYS", pattern)));
    }

    /** A counter's value, 0 when the key does not exist. */
    long counter(String key) {
        String value = get(key);
        return value == null ? 0 : Long.parseLong(value);
    }

    void flushAll() {
        client.call("FLUSHALL");
    }

    @Override
    public void close() {
        client.close();
    }

    private static List<String> strings(List<Object> values) {
        return values.stream().map(value -> (String) value).toList();
    }

}
