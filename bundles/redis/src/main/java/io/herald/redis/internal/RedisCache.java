package io.herald.redis.internal;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.herald.api.cache.Cache;
import io.herald.api.cache.CacheLockedException;
import io.herald.api.cache.CacheUnavailableException;
import io.herald.redis.RedisConnection;
import io.herald.redis.RedisUnavailableException;

import redis.clients.jedis.CommandObjects;
import redis.clients.jedis.Connection;
import redis.clients.jedis.ConnectionPool;
import redis.clients.jedis.RedisClusterClient;
import redis.clients.jedis.RedisProtocol;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/**
 * The cache shared by every node, in Redis (Actionhero's {@code api.cache} on its {@code client} connection). Key
 * layout: {@link CacheKeys}. Lock checks and the operations they guard run as one Lua script ({@link CacheScripts}).
 * Every command goes through {@link RedisConnection#execute}, so a failover within the connection's retry window is
 * invisible; a longer one, or an error Redis returns, is a {@link CacheUnavailableException}.
 */
final class RedisCache implements Cache {

    private static final int SCAN_COUNT = 1000;
    /** Builds the SCAN commands sent to each Cluster node; the connections speak RESP2 ({@link ClientFactory}). */
    private static final CommandObjects SCAN_COMMANDS = new CommandObjects(RedisProtocol.RESP2);

    private final RedisConnection connection;
    private final String owner;
    private final ObjectMapper mapper;

    RedisCache(RedisConnection connection, String owner, ObjectMapper mapper) {
        this.connection = connection;
        this.owner = owner;
        this.mapper = mapper;
    }

    @Override
    public void save(String key, Object value) {
        put(key, value, "0");
    }

    @Override
    public void save(String key, Object value, Duration expireIn) {
        put(key, value, millis(expireIn));
    }

    private void put(String key, Object value, String ttl) {
        List<String> keys = List.of(CacheKeys.value(key), CacheKeys.lock(key));
        List<String> args = List.of(owner, json(value), ttl);
        Object result = run("save " + key, jedis -> CacheScripts.SAVE.run(jedis, keys, args));
        requireUnlocked(key, result);
    }

    @Override
    public <T> Optional<T> load(String key, Class<T> type) {
        return get(key, type, "0");
    }

    @Override
    public <T> Optional<T> load(String key, Class<T> type, Duration expireIn) {
        return get(key, type, millis(expireIn));
    }

    private <T> Optional<T> get(String key, Class<T> type, String ttl) {
        List<String> keys = List.of(CacheKeys.value(key), CacheKeys.lock(key));
        List<String> args = List.of(owner, ttl);
        Object result = run("load " + key, jedis -> CacheScripts.LOAD.run(jedis, keys, args));
        requireUnlocked(key, result);
        return result == null ? Optional.empty() : Optional.of(parse(text(result), type));
    }

    @Override
    public boolean destroy(String key) {
        List<String> keys = List.of(CacheKeys.value(key), CacheKeys.lock(key));
        Object result = run("destroy " + key, jedis -> CacheScripts.DESTROY.run(jedis, keys, List.of(owner)));
        requireUnlocked(key, result);
        return ((Long) result) > 0;
    }

    @Override
    public List<String> keys(String prefix) {
        String pattern = CacheKeys.valuePattern(prefix);
        Set<String> found = run("list keys", jedis -> jedis instanceof RedisClusterClient cluster
                ? scanCluster(cluster, pattern) : scan(jedis, pattern));
        List<String> keys = new ArrayList<>();
        for (String redisKey : found) {
            String key = CacheKeys.keyOfValue(redisKey);
            if (key != null && key.startsWith(prefix)) {
                keys.add(key);
            }
        }
        keys.sort(null);
        return keys;
    }

    private static Set<String> scan(UnifiedJedis jedis, String pattern) {
        return new TreeSet<>(jedis.scanIteration(SCAN_COUNT, pattern).collect(new ArrayList<>()));
    }

    /**
     * SCANs every reachable node: each shard has a master and a replica, so while the cluster serves, every key is on
     * a reachable node even when one node is dead (its replica took over). Replicas repeat their master's keys; the
     * set removes the duplicates.
     */
    private static Set<String> scanCluster(RedisClusterClient cluster, String pattern) {
        Set<String> found = new TreeSet<>();
        RuntimeException lastFailure = null;
        int reached = 0;
        ScanParams params = new ScanParams().match(pattern).count(SCAN_COUNT);
        for (Map.Entry<String, ConnectionPool> node : cluster.getClusterNodes().entrySet()) {
            try (Connection connection = node.getValue().getResource()) {
                String cursor = ScanParams.SCAN_POINTER_START;
                do {
                    ScanResult<String> page = scanPage(connection, cursor, params);
                    found.addAll(page.getResult());
                    cursor = page.getCursor();
                } while (!ScanParams.SCAN_POINTER_START.equals(cursor));
                reached++;
            } catch (JedisException e) {
                lastFailure = e;
            }
        }
        if (reached == 0 && lastFailure != null) {
            throw lastFailure;
        }
        return found;
    }

    private static ScanResult<String> scanPage(Connection connection, String cursor, ScanParams params) {
        return connection.executeCommand(SCAN_COMMANDS.scan(cursor, params));
    }

    @Override
    public boolean lock(String key, Duration expireIn) {
        List<String> args = List.of(owner, millis(expireIn));
        List<String> keys = List.of(CacheKeys.lock(key));
        return ((Long) run("lock " + key, jedis -> CacheScripts.LOCK.run(jedis, keys, args))) == 1L;
    }

    @Override
    public boolean unlock(String key) {
        List<String> keys = List.of(CacheKeys.lock(key));
        return ((Long) run("unlock " + key, jedis -> CacheScripts.UNLOCK.run(jedis, keys, List.of(owner)))) == 1L;
    }

    @Override
    public boolean checkLock(String key) {
        String lockKey = CacheKeys.lock(key);
        String holder = run("check the lock of " + key, jedis -> jedis.get(lockKey));
        return holder == null || holder.equals(owner);
    }

    @Override
    public String lockOwner() {
        return owner;
    }

    @Override
    public void push(String list, Object item) {
        String listKey = CacheKeys.list(list);
        String json = json(item);
        run("push to " + list, jedis -> jedis.rpush(listKey, json));
    }

    @Override
    public <T> Optional<T> pop(String list, Class<T> type) {
        String listKey = CacheKeys.list(list);
        String head = run("pop from " + list, jedis -> jedis.lpop(listKey));
        return head == null ? Optional.empty() : Optional.of(parse(head, type));
    }

    @Override
    public long listLength(String list) {
        String listKey = CacheKeys.list(list);
        return run("length of " + list, jedis -> jedis.llen(listKey));
    }

    private <T> T run(String what, Function<UnifiedJedis, T> command) {
        try {
            return connection.execute(command);
        } catch (RedisUnavailableException e) {
            throw new CacheUnavailableException("cache: cannot " + what + ": " + e.getMessage(), e);
        } catch (JedisException e) {
            throw new CacheUnavailableException("cache: Redis connection '" + connection.name() + "' refused to "
                    + what + ": " + RedisErrors.describe(e), e);
        }
    }

    private static void requireUnlocked(String key, Object scriptResult) {
        if (scriptResult instanceof Long code && code == -1L) {
            throw new CacheLockedException(key);
        }
    }

    private static String text(Object reply) {
        return reply instanceof byte[] bytes ? new String(bytes, StandardCharsets.UTF_8)
                : reply.toString();
    }

    private static String millis(Duration expireIn) {
        if (expireIn.isNegative() || expireIn.isZero()) {
            throw new IllegalArgumentException("expiry must be positive, was " + expireIn);
        }
        // below a millisecond rounds up: Redis' PX takes whole milliseconds and 0 means "no expiry" here
        return Long.toString(Math.max(1, expireIn.toMillis()));
    }

    private String json(Object value) {
        try {
            return mapper.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot store a " + value.getClass().getName() + " as JSON: "
                    + e.getOriginalMessage(), e);
        }
    }

    private <T> T parse(String json, Class<T> type) {
        try {
            return mapper.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("the stored value cannot be read as " + type.getSimpleName() + ": "
                    + e.getOriginalMessage(), e);
        }
    }
}
