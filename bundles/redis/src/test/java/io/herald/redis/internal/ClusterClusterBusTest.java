package io.herald.redis.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.BlockingQueue;

import io.herald.api.cluster.ClusterMessage;
import io.herald.testing.redis.ClusterTopology;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import redis.clients.jedis.util.JedisClusterCRC16;

/**
 * The cluster bus contract over a Redis Cluster, and the bus after the master that serves its channel is killed: once
 * the cluster heals, messages flow again without restarting anything.
 */
class ClusterClusterBusTest extends RedisBusContract {

    private static ClusterTopology cluster;


    @BeforeAll
    static void startCluster() {
        cluster = ClusterTopology.start();
    }

    @AfterAll
    static void stopCluster() {
        cluster.close();
    }

    @Override
    protected HaRedisConnection connect(String name) {
        return TestConnections.cluster(name, cluster);
    }

    @Test
    void the_bus_carries_messages_again_after_a_killed_master_is_replaced() throws Exception {
        List<Node> nodes = startCluster("publisher", "listener");
        BlockingQueue<ClusterMessage> inbox = subscribe(nodes.get(1), "news");
        nodes.get(0).bus.publish("news", "before");
        assertEquals("before", next(inbox, "the first message").payload(String.class));

        // Kill the master of the channel's own slot, so the subscriber's node is among the dead for sure.
        int slot = JedisClusterCRC16.getSlot(channel.getBytes(StandardCharsets.UTF_8));
        cluster.killMasterOfSlot(slot);
        publishUntilReceived(nodes.get(0), inbox, "after the master was killed");
        cluster.restartKilled();
    }
}
