package io.herald.tasks.internal.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.herald.redis.internal.RedisConnections;
import io.herald.tasks.internal.wire.Payloads;
import io.herald.testing.redis.RedisAddress;
import io.herald.testing.redis.RespClient;
import io.herald.testing.redis.SentinelTopology;

/** {@code waitReplicas} through a Sentinel connection: the WAIT goes to the leader Sentinel names, on the write's connection. */
class SentinelReplicatedWriteTest {

    private static SentinelTopology topology;
    private static RedisConnections.Opened connection;

    @BeforeAll
    static void start() {
        topology = SentinelTopology.start();
        topology.awaitReady();
        connection = StoreConnections.sentinel(topology);
    }

    @AfterAll
    static void stop() {
        if (connection != null) {
            connection.close();
        }
        if (topology != null) {
            topology.close();
        }
    }

    @Test
    void anEnqueueHasReachedTheReplicaWhenItReturns() {
        RedisResqueStore store = new RedisResqueStore(connection, RedisStoreSettings.defaults().withWait(1, 5000));
        String job = Payloads.encodeJob("sayHello", "mail", List.of(Map.of("name", "x")));
        store.enqueue("mail", job);
        RedisAddress leader = topology.currentLeader();
        RedisAddress replica = topology.nodeAddresses().stream().filter(node -> !node.equals(leader)).findFirst()
                .orElseThrow();
        try (RespClient onReplica = RespClient.connect(replica)) {
            assertEquals(List.of(job), onReplica.callList("LRANGE", "resque:queue:mail", "0", "-1"));
        }
    }
}
