package io.herald.tasks.internal.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.TreeSet;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.herald.testing.redis.RedisServer;
import io.herald.testing.redis.RespClient;

/** The embedded store's glob matches what a real Redis's {@code KEYS} matches, pattern by pattern. */
class GlobPatternTest {

    private static final List<String> KEYS = List.of("abc", "axc", "a*c", "a?c", "ac", "bx", "cx", "dx", "hello",
            "hallo", "hxllo", "h[x]", "*", "x", "[", "]x", "a\\c", "lock:A:q:[1]", "lock:B:q:[{\"a\":1}]", "é", "-x");
    private static final List<String> PATTERNS = List.of("*", "a*", "a?c", "[ab]*", "[^a]*", "[a-c]x", "[c-a]x",
            "\\*", "a\\?c", "h[^e]llo", "h\\[x\\]", "h[ae]llo", "lock:*:q:*", "lock:?:q:\\[*", "*\\\\*", "[\\-]x",
            "?", "??", "a*c", "*x*", "[a-]x", "x*", "lock:A:q:[[]1]", "[a-", "lock:[", "[", "[^", "\\", "a\\",
            "[é]", "[^é]", "**x", "a**", "", "h*l*o", "*[", "[]x", "[]]x");

    private static RedisServer server;

    @BeforeAll
    static void start() {
        server = RedisServer.start();
        try (RespClient client = server.client()) {
            for (String key : KEYS) {
                client.call("SET", key, "1");
            }
        }
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void matchesAsRedisMatches() {
        try (RespClient client = server.client()) {
            for (String pattern : PATTERNS) {
                TreeSet<String> redis = new TreeSet<>();
                client.callList("KEYS", pattern).forEach(key -> redis.add((String) key));
                GlobPattern glob = GlobPattern.compile(pattern);
                TreeSet<String> ours = new TreeSet<>();
                KEYS.stream().filter(glob::matches).forEach(ours::add);
                assertEquals(redis, ours, "pattern " + pattern);
            }
        }
    }
}
