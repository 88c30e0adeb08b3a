package io.herald.tasks.internal.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.herald.redis.RedisConnection;
import io.herald.redis.internal.RedisConnections;
import io.herald.testing.redis.ClusterTopology;
import io.herald.testing.redis.RedisAddress;
import io.herald.testing.redis.RespClient;

import redis.clients.jedis.util.JedisClusterCRC16;

/**
 * The contract and node-resque's layout on a real six-node Redis Cluster, where the namespace is hash-tagged
 * ({@code {resque}}) so that the store's scripts find all their keys in one slot.
 */
class ClusterRedisResqueStoreTest extends RedisResqueStoreContract {

    private static ClusterTopology cluster;
    private static RedisConnections.Opened connection;

    @BeforeAll
    static void startCluster() {
        cluster = ClusterTopology.start();
        connection = StoreConnections.cluster(cluster);
    }

    @AfterAll
    static void stopCluster() {
        if (connection != null) {
            connection.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @Override
    RedisConnection connection() {
        return connection;
    }

    @Override
    RespClient rawClient() {
        return RespClient.connect(cluster.masterOfSlot(JedisClusterCRC16.getSlot(RedisStoreSettings.CLUSTER_NAMESPACE)));
    }

    @Override
    void flushAll() {
        for (RedisAddress node : cluster.seedNodes()) {
            try (RespClient client = RespClient.connect(node)) {
                if ("master".equals(client.callList("ROLE").get(0))) {
                    client.call("FLUSHALL");
                }
            }
        }
    }

    @Test
    void theNamespaceHoldsAHashTag() {
        assertEquals("{resque}", new RedisResqueStore(connection).namespace());
        assertEquals("app{jobs}", new RedisResqueStore(connection, RedisStoreSettings.defaults()
                .withNamespace("app{jobs}")).namespace());
        for (String untagged : List.of("resque", "{}resque", "res{que", "app}{")) {
            IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                    () -> new RedisResqueStore(connection, RedisStoreSettings.defaults().withNamespace(untagged)));
            assertTrue(error.getMessage().contains("hash tag"), error.getMessage());
        }
    }

    @Test
    void durableWritesWaitForTheReplicaOfTheNamespacesMaster() {
        RedisAddress master = cluster.masterOfSlot(JedisClusterCRC16.getSlot(RedisStoreSettings.CLUSTER_NAMESPACE));
        RedisAddress replica = null;
        for (RedisAddress node : cluster.seedNodes()) {
            try (RespClient client = RespClient.connect(node)) {
                List<Object> role = client.callList("ROLE");
                if ("slave".equals(role.get(0)) && master.port() == ((Number) role.get(2)).intValue()) {
                    replica = node;
                }
            }
        }
        assertTrue(replica != null, "the master of the namespace's slot has a replica");
        RedisResqueStore store = new RedisResqueStore(connection, RedisStoreSettings.defaults().withWait(1, 5000));
        store.enqueue("mail", J1);
        try (RespClient onReplica = RespClient.connect(replica)) {
            onReplica.call("READONLY");
            assertEquals(List.of(J1), onReplica.callList("LRANGE", "{resque}:queue:mail", "0", "-1"));
        }
    }

    @Test
    void scansVisitEveryMaster() {
        // keys in slots of three different masters (the store's own keys all live in one slot by design)
        Map<RedisAddress, String> keyByMaster = new HashMap<>();
        for (int tag = 0; keyByMaster.size() < 3 && tag < 1000; tag++) {
            String key = "scanprobe:{" + tag + "}";
            keyByMaster.putIfAbsent(cluster.masterOfSlot(JedisClusterCRC16.getSlot(key)), key);
        }
        assertEquals(3, keyByMaster.size(), "three masters");
        for (String key : keyByMaster.values()) {
            connection.execute(jedis -> jedis.set(key, "v"));
        }
        connection.execute(jedis -> jedis.rpush("scanprobe:{list}", "not a string"));
        Map<String, String> found = connection.execute(jedis -> KeyScanner.scan(jedis, "scanprobe:*",
                JedisClusterCRC16.getSlot(RedisStoreSettings.CLUSTER_NAMESPACE)));
        assertEquals(new HashSet<>(keyByMaster.values()), found.keySet());
        assertEquals(Set.of("v"), new HashSet<>(found.values()));
    }
}
