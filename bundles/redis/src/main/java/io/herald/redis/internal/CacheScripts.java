package io.herald.redis.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisNoScriptException;

/**
 * The Lua scripts that make the lock check and the operation it guards one atomic step, so no other owner can take
 * the lock in between (Actionhero checks then writes in two round trips). Every script touches only a value key and
 * its lock key, which share a hash tag and so a Cluster slot. Run by SHA ({@code EVALSHA}); a node that does not know
 * a script yet (a fresh leader after a failover) gets it by {@code EVAL}.
 */
enum CacheScripts {

    /** KEYS value, lock; ARGV owner, json, ttl ms (0: none). -1 locked by another owner, 1 saved. */
    SAVE("""
            local holder = redis.call('GET', KEYS[2])
            if holder and holder ~= ARGV[1] then return -1 end
            if ARGV[3] == '0' then
              redis.call('SET', KEYS[1], ARGV[2])
            else
              redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
            end
            return 1
            """),

    /** KEYS value, lock; ARGV owner, ttl ms (0: keep). -1 locked by another owner, else the value or nil. */
    LOAD("""
            local holder = redis.call('GET', KEYS[2])
            if holder and holder ~= ARGV[1] then return -1 end
            local value = redis.call('GET', KEYS[1])
            if value and ARGV[2] ~= '0' then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
            return value
            """),

    /** KEYS value, lock; ARGV owner. -1 locked by another owner, else the number of keys removed. */
    DESTROY("""
            local holder = redis.call('GET', KEYS[2])
            if holder and holder ~= ARGV[1] then return -1 end
            return redis.call('DEL', KEYS[1])
            """),

    /** KEYS lock; ARGV owner, ttl ms. 1 the lock is ours (taken or renewed), 0 another owner holds it. */
    LOCK("""
            local holder = redis.call('GET', KEYS[1])
            if holder and holder ~= ARGV[1] then return 0 end
            redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
            return 1
            """),

    /** KEYS lock; ARGV owner. 1 released, 0 not ours (or no lock). */
    UNLOCK("""
            if redis.call('GET', KEYS[1]) == ARGV[1] then
              redis.call('DEL', KEYS[1])
              return 1
            end
            return 0
            """);

    private final String source;
    private final String sha;

    CacheScripts(String source) {
        this.source = source;
        this.sha = sha1(source);
    }

    Object run(UnifiedJedis jedis, List<String> keys, List<String> args) {
        try {
            return jedis.evalsha(sha, keys, args);
        } catch (JedisNoScriptException unknownHere) {
            return jedis.eval(source, keys, args);
        }
    }

    private static String sha1(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has SHA-1", e);
        }
    }
}
