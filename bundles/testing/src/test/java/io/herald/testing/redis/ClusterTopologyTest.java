package io.herald.testing.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/** One cluster for the class (start-up takes seconds); each step leaves it usable for the next. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterTopologyTest {

    private static ClusterTopology cluster;

    @BeforeAll
    static void start() {
        cluster = ClusterTopology.start();
    }

    @AfterAll
    static void stop_and_leave_no_redis_server_running() {
        if (cluster != null) {
            cluster.close();
        }
        assertEquals(List.of(), RedisChildren.running());
    }

    @Test
    @Order(1)
    void three_masters_with_a_replica_each_serve_all_16384_slots() {
        assertEquals(6, cluster.seedNodes().stream().distinct().count());
        int masters = 0;
        for (RedisAddress node : cluster.seedNodes()) {
            try (RespClient client = RespClient.connect(node)) {
                Map<String, String> info = RespClient.parseInfo(client.callString("CLUSTER", "INFO"));
                assertEquals("ok", info.get("cluster_state"));
                assertEquals("16384", info.get("cluster_slots_assigned"));
                assertEquals("16384", info.get("cluster_slots_ok"));
                assertEquals("6", info.get("cluster_known_nodes"));
                assertEquals("3", info.get("cluster_size"));
                Map<String, String> replication = client.info("replication");
                if ("master".equals(replication.get("role"))) {
                    masters++;
                } else {
                    assertEquals("up", replication.get("master_link_status"));
                }
            }
        }
        assertEquals(3, masters);
    }

    @Test
    @Order(2)
    void a_key_is_served_by_the_master_of_its_slot_and_redirected_elsewhere() {
        long slot;
        try (RespClient client = RespClient.connect(cluster.seedNodes().get(0))) {
            slot = client.callLong("CLUSTER", "KEYSLOT", "greeting");
        }
        RedisAddress owner = cluster.masterOfSlot((int) slot);
        try (RespClient client = RespClient.connect(owner)) {
            assertEquals("OK", client.call("SET", "greeting", "hello"));
        }
        RedisAddress other = cluster.masterOfSlot(slot < 8192 ? 16383 : 0);
        assertNotEquals(owner, other);
        try (RespClient client = RespClient.connect(other)) {
            RespException moved = assertThrows(RespException.class, () -> client.call("GET", "greeting"));
            assertEquals("MOVED", moved.code());
            assertEquals("MOVED " + slot + " " + owner, moved.getMessage());
        }
    }

    @Test
    @Order(3)
    void killing_the_master_of_slot_0_hands_the_slot_to_its_replica() {
        RedisAddress before = cluster.masterOfSlot(0);

        Failover failover = cluster.killMasterOfSlot(0);

        assertEquals(before, failover.from());
        assertNotEquals(before, failover.to());
        assertEquals(failover.to(), cluster.masterOfSlot(0));
        assertThrows(UncheckedIOException.class, () -> RespClient.connect(before));
        for (RedisAddress node : cluster.seedNodes()) {
            if (!node.equals(before)) {
                try (RespClient client = RespClient.connect(node)) {
                    assertEquals("ok",
                            RespClient.parseInfo(client.callString("CLUSTER", "INFO")).get("cluster_state"));
                }
            }
        }
    }

    @Test
    @Order(4)
    void the_killed_master_comes_back_as_a_replica_of_its_successor() {
        RedisAddress owner = cluster.masterOfSlot(0);
        RedisAddress killed = cluster.seedNodes().stream().filter(ClusterTopologyTest::isDown).findFirst()
                .orElseThrow();

        cluster.restartKilled();

        assertEquals(owner, cluster.masterOfSlot(0));
        try (RespClient client = RespClient.connect(killed)) {
            Map<String, String> replication = client.info("replication");
            assertEquals("slave", replication.get("role"));
            assertEquals(String.valueOf(owner.port()), replication.get("master_port"));
            assertEquals("up", replication.get("master_link_status"));
        }
    }

    private static boolean isDown(RedisAddress node) {
        try {
            RespClient.connect(node).close();
            return false;
        } catch (UncheckedIOException refused) {
            return true;
        }
    }
}
