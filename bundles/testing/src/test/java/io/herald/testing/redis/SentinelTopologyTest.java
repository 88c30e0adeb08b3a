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

/** One topology for the class (start-up takes seconds); each step leaves it usable for the next. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SentinelTopologyTest {

    private static SentinelTopology sentinel;

    @BeforeAll
    static void start() {
        sentinel = SentinelTopology.start();
    }

    @AfterAll
    static void stop_and_leave_no_redis_server_running() {
        if (sentinel != null) {
            sentinel.close();
        }
        assertEquals(List.of(), RedisChildren.running());
    }

    @Test
    @Order(1)
    void every_sentinel_names_the_leader_and_the_replica_is_in_sync() {
        assertEquals("herald-leader", sentinel.masterName());
        RedisAddress leader = sentinel.currentLeader();
        assertEquals(sentinel.nodeAddresses().get(0), leader);
        assertEquals(3, sentinel.sentinelAddresses().stream().distinct().count());
        for (RedisAddress address : sentinel.sentinelAddresses()) {
            try (RespClient client = RespClient.connect(address)) {
                assertEquals(List.of(leader.host(), String.valueOf(leader.port())),
                        client.call("SENTINEL", "GET-MASTER-ADDR-BY-NAME", "herald-leader"));
                assertEquals("2", client.callMap("SENTINEL", "MASTER", "herald-leader").get("num-other-sentinels"));
            }
        }
        RedisAddress replica = sentinel.nodeAddresses().get(1);
        try (RespClient client = RespClient.connect(replica)) {
            Map<String, String> replication = client.info("replication");
            assertEquals("slave", replication.get("role"));
            assertEquals(String.valueOf(leader.port()), replication.get("master_port"));
            assertEquals("up", replication.get("master_link_status"));
        }
    }

    @Test
    @Order(2)
    void a_graceful_failover_moves_the_leader_to_the_replica_and_keeps_the_data() {
        RedisAddress before = sentinel.currentLeader();
        try (RespClient leader = RespClient.connect(before)) {
            leader.call("SET", "before-failover", "kept");
            assertEquals(1L, leader.call("WAIT", "1", "5000"));
        }

        Failover failover = sentinel.failoverGracefully();

        assertEquals(before, failover.from());
        assertNotEquals(before, failover.to());
        assertEquals(failover.to(), sentinel.currentLeader());
        try (RespClient leader = RespClient.connect(failover.to())) {
            assertEquals("master", leader.info("replication").get("role"));
            assertEquals("kept", leader.call("GET", "before-failover"));
            assertEquals("OK", leader.call("SET", "after-failover", "written"));
        }
        sentinel.awaitReady();
        assertReplicaOf(failover.to(), before);
    }

    @Test
    @Order(3)
    void killing_the_leader_promotes_the_replica() {
        RedisAddress before = sentinel.currentLeader();

        Failover failover = sentinel.killLeader();

        assertEquals(before, failover.from());
        assertNotEquals(before, failover.to());
        assertEquals(failover.to(), sentinel.currentLeader());
        assertThrows(UncheckedIOException.class, () -> RespClient.connect(before));
        try (RespClient leader = RespClient.connect(failover.to())) {
            assertEquals("master", leader.info("replication").get("role"));
            assertEquals("OK", leader.call("SET", "after-kill", "written"));
        }
        assertThrows(IllegalStateException.class, sentinel::killLeader);
    }

    @Test
    @Order(4)
    void the_killed_node_comes_back_as_a_replica_of_the_new_leader() {
        RedisAddress leader = sentinel.currentLeader();
        RedisAddress killed = sentinel.nodeAddresses().stream().filter(a -> !a.equals(leader)).findFirst()
                .orElseThrow();

        sentinel.restartKilled();

        assertEquals(leader, sentinel.currentLeader());
        assertReplicaOf(leader, killed);
        try (RespClient replica = RespClient.connect(killed)) {
            assertEquals("written", replica.call("GET", "after-kill"));
        }
    }

    private static void assertReplicaOf(RedisAddress leader, RedisAddress node) {
        try (RespClient client = RespClient.connect(node)) {
            Map<String, String> replication = client.info("replication");
            assertEquals("slave", replication.get("role"));
            assertEquals(String.valueOf(leader.port()), replication.get("master_port"));
            assertEquals("up", replication.get("master_link_status"));
        }
    }
}
