package io.herald.tasks.internal.store;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisNoScriptException;

/**
 * One Lua script, run with {@code EVALSHA} and, when the server does not have it cached yet ({@code NOSCRIPT}: a new
 * server, a restart, a failover to a replica whose script cache is empty), with {@code EVAL}, which caches it.
 */
final class LuaScript {

    private final String name;
    private final String text;
    private final String sha1;

    LuaScript(String name, String text) {
        this.name = name;
        this.text = text;
        this.sha1 = sha1(text);
    }

    String name() {
        return name;
    }

    String sha1() {
        return sha1;
    }

    /** Runs the script; the first key routes it to its slot's master in a Cluster. */
    Object run(UnifiedJedis jedis, List<String> keys, List<String> args) {
        try {
            return jedis.evalsha(sha1, keys, args);
        } catch (JedisNoScriptException e) {
            return jedis.eval(text, keys, args);
        }
    }

    /** Queues the script on a pipeline: by SHA, or by text after a {@code NOSCRIPT}. */
    Response<Object> queue(Pipeline pipeline, List<String> keys, List<String> args, boolean byText) {
        return byText ? pipeline.eval(text, keys, args) : pipeline.evalsha(sha1, keys, args);
    }

    private static String sha1(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-1", e);
        }
    }

    @Override
    public String toString() {
        return "script " + name + " (" + sha1 + ")";
    }
}
