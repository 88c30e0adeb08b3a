package io.herald.tasks.internal.store;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import redis.clients.jedis.Connection;
import redis.clients.jedis.ConnectionPool;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.RedisClusterClient;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/**
 * {@code SCAN cursor MATCH pattern COUNT n TYPE string} plus {@code MGET}, to the end of the cursor, on a standalone or
 * Sentinel leader, or on every master of a Redis Cluster: a Cluster client's SCAN would ask one node only
 * (node-resque's {@code Connection.getKeys}, {@code src/core/connection.ts}, has this gap). Keys that vanish between
 * the SCAN and the MGET are left out. SCAN may return a key twice; the map keeps it once. Requires Redis 6 or later
 * (SCAN TYPE).
 */
final class KeyScanner {

    private static final int COUNT = 1000;

    private KeyScanner() {
    }

    /**
     * @param pattern the full glob, namespace included
     * @param routingSlot on a Cluster, the slot whose master tells which masters there are
     */
    static Map<String, String> scan(UnifiedJedis jedis, String pattern, int routingSlot) {
        Map<String, String> found = new LinkedHashMap<>();
        if (jedis instanceof RedisClusterClient cluster) {
            for (String master : masters(cluster, routingSlot)) {
                ConnectionPool pool = cluster.getClusterNodes().get(master);
                if (pool == null) {
                    // a master the client's slot map does not know yet (a failover just happened): have it refreshed
                    cluster.refreshClusterTopology();
                    throw new JedisConnectionException("the Cluster client does not know master " + master + " yet");
                }
                try (Connection connection = pool.getResource()) {
                    Jedis node = new Jedis(connection);
                    scanInto(node::scan, node::mget, pattern, found);
                }
            }
        } else {
            scanInto(jedis::scan, jedis::mget, pattern, found);
        }
        return found;
    }

    private interface Scan {
        ScanResult<String> scan(String cursor, ScanParams params, String type);
    }

    private interface MultiGet {
        List<String> mget(String... keys);
    }

    private static void scanInto(Scan scan, MultiGet mget, String pattern, Map<String, String> found) {
        ScanParams params = new ScanParams().match(pattern).count(COUNT);
        String cursor = ScanParams.SCAN_POINTER_START;
        do {
            ScanResult<String> page = scan.scan(cursor, params, "string");
            List<String> keys = page.getResult();
            if (!keys.isEmpty()) {
                List<String> values = mget.mget(keys.toArray(String[]::new));
                for (int i = 0; i < keys.size(); i++) {
                    if (values.get(i) != null) {
                        found.put(keys.get(i), values.get(i));
                    }
                }
            }
            cursor = page.getCursor();
        } while (!ScanParams.SCAN_POINTER_START.equals(cursor));
    }

    /** The masters listed by {@code CLUSTER SLOTS}, as {@code host:port} (the keys of the client's node map). */
    private static Set<String> masters(RedisClusterClient cluster, int routingSlot) {
        Set<String> masters = new LinkedHashSet<>();
        try (Connection connection = cluster.getConnectionFromSlot(routingSlot)) {
            for (Object range : new Jedis(connection).clusterSlots()) {
                List<?> fields = (List<?>) range;
                List<?> master = (List<?>) fields.get(2);
                masters.add(text(master.get(0)) + ":" + ((Number) master.get(1)).longValue());
            }
        }
        return masters;
    }

    private static String text(Object value) {
        return value instanceof byte[] bytes ? new String(bytes, StandardCharsets.UTF_8) : String.valueOf(value);
    }
}
