package io.herald.redis.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.concurrent.BlockingQueue;

import io.herald.api.cluster.ClusterMessage;
import io.herald.testing.redis.SentinelTopology;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The cluster bus contract over Redis behind Sentinel, and the bus across failovers: a subscriber on another node keeps
 * receiving bus messages after a graceful {@code SENTINEL FAILOVER} (where a plain Jedis subscriber silently stays on the
 * demoted node) and after the leader is killed.
 */
class SentinelClusterBusTest extends RedisBusContract {

    private static SentinelTopology sentinel;


    @BeforeAll
    static void startSentinel() {
        sentinel = SentinelTopology.start();
    }

    @AfterAll
    static void stopSentinel() {
        sentinel.close();
    }

    @Override
    protected HaRedisConnection connect(String name) {
        return TestConnections.sentinel(name, sentinel);
    }

    @Test
    void a_subscriber_on_another_node_keeps_receiving_after_graceful_and_hard_failovers() throws Exception {
        List<Node> cluster = startCluster("publisher", "listener");
        Node publisher = cluster.get(0);
        BlockingQueue<ClusterMessage> inbox = subscribe(cluster.get(1), "news");
        publisher.bus.publish("news", "before");
        assertEquals("before", next(inbox, "the first message").payload(String.class));

        sentinel.failoverGracefully();
        publishUntilReceived(publisher, inbox, "after the graceful failover");

        sentinel.killLeader();
        publishUntilReceived(publisher, inbox, "after the leader was killed");
        sentinel.restartKilled();
    }
}
