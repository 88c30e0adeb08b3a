package io.herald.tasks.internal.store;

import java.util.List;

import redis.clients.jedis.Connection;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.RedisClusterClient;
import redis.clients.jedis.RedisSentinelClient;
import redis.clients.jedis.Response;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisMovedDataException;
import redis.clients.jedis.exceptions.JedisNoScriptException;
import redis.clients.jedis.util.JedisClusterCRC16;

/**
 * A script followed by {@code WAIT replicas timeout} on the same connection. WAIT counts the replicas that have
 * acknowledged the calling connection's own last write, so it must follow the write on that connection: a pooled
 * client would send it on any connection. The connection is taken from the client's pool of the leader (standalone,
 * Sentinel) or of the master of the keys' slot (Cluster), the two commands are pipelined, and the socket timeout is
 * raised by the WAIT timeout for that exchange.
 */
final class ReplicatedWrite {

    /** What the script returned and how many replicas acknowledged it. */
    record Result(Object value, long acknowledged) {
    }

    private ReplicatedWrite() {
    }

    static Result run(UnifiedJedis jedis, LuaScript script, List<String> keys, List<String> args, int replicas,
            long timeoutMillis) {
        try (Connection connection = leaderConnection(jedis, keys.get(0))) {
            connection.setSoTimeout(Math.toIntExact(Math.min(Integer.MAX_VALUE,
                    connection.getSoTimeout() + timeoutMillis)));
            try {
                try {
                    return pipelined(connection, script, keys, args, replicas, timeoutMillis, false);
                } catch (JedisNoScriptException e) {
                    return pipelined(connection, script, keys, args, replicas, timeoutMillis, true);
                }
            } catch (JedisMovedDataException e) {
                // the slot moved (a Cluster failover): the client's slot map is stale; retried by the connection
                ((RedisClusterClient) jedis).refreshClusterTopology();
                throw new JedisConnectionException("hash slot moved during a replicated write: " + e.getMessage(), e);
            } finally {
                connection.rollbackTimeout();
            }
        }
    }

    private static Result pipelined(Connection connection, LuaScript script, List<String> keys, List<String> args,
            int replicas, long timeoutMillis, boolean byText) {
        Pipeline pipeline = new Pipeline(connection, false);
        Response<Object> value = script.queue(pipeline, keys, args, byText);
        Response<Long> acknowledged = pipeline.waitReplicas(replicas, timeoutMillis);
        pipeline.sync();
        return new Result(value.get(), acknowledged.get());
    }

    private static Connection leaderConnection(UnifiedJedis jedis, String key) {
        if (jedis instanceof RedisClusterClient cluster) {
            return cluster.getConnectionFromSlot(JedisClusterCRC16.getSlot(key));
        }
        if (jedis instanceof RedisClient client) {
            return client.getPool().getResource();
        }
        if (jedis instanceof RedisSentinelClient sentinel) {
            // the pool of the current master (Jedis follows +switch-master)
            return sentinel.getPrimaryNodesConnectionMap().values().iterator().next().getResource();
        }
        throw new IllegalStateException("cannot WAIT on a " + jedis.getClass().getName()
                + ": expected a RedisClient, RedisSentinelClient or RedisClusterClient");
    }
}
