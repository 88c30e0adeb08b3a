package io.herald.redis.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

import io.herald.api.cluster.ClusterException;
import io.herald.api.cluster.ClusterMessage;
import io.herald.api.spi.ClusterTransport;
import io.herald.core.cluster.ClusterBusContract;
import io.herald.redis.RedisUnavailableException;
import io.herald.testing.redis.ClusterTopology;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import redis.clients.jedis.util.JedisClusterCRC16;

/**
 * The cluster bus contract over a Redis Cluster, and the bus after the master that serves its channel is killed: once
 * the cluster heals, messages flow again without restarting anything.
 */
class ClusterClusterBusTest extends ClusterBusContract {

    private static ClusterTopology cluster;

    private final String channel = "herald-test-" + UUID.randomUUID();
    private final Map<ClusterTransport, List<HaRedisConnection>> connections = new IdentityHashMap<>();

    @BeforeAll
    static void startCluster() {
        cluster = ClusterTopology.start();
    }

    @AfterAll
    static void stopCluster() {
        cluster.close();
    }

    @Override
    protected ClusterTransport transportFor(String nodeId) {
        HaRedisConnection publisher = TestConnections.cluster("client", cluster);
        HaRedisConnection subscriber = TestConnections.cluster("subscriber", cluster);
        ClusterTransport transport = new RedisClusterTransport(publisher, subscriber, channel);
        connections.put(transport, List.of(publisher, subscriber));
        return transport;
    }

    @Override
    protected void release(ClusterTransport transport) {
        List<HaRedisConnection> held = connections.remove(transport);
        if (held != null) {
            held.forEach(HaRedisConnection::close);
        }
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

    private static void publishUntilReceived(Node publisher, BlockingQueue<ClusterMessage> inbox, String when)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        for (int n = 0; System.nanoTime() < deadline; n++) {
            try {
                publisher.bus.publish("news", when + " #" + n);
            } catch (RedisUnavailableException | ClusterException duringTheSwitch) {
                // the cluster was down for longer than the retry window: try again
            }
            for (ClusterMessage m; (m = inbox.poll(250, TimeUnit.MILLISECONDS)) != null;) {
                if (m.payload(String.class).startsWith(when)) {
                    return;
                }
            }
        }
        throw new AssertionError("no bus message arrived " + when + " within 60 s");
    }
}
