package io.herald.redis.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

import io.herald.api.cluster.ClusterMessage;
import io.herald.api.spi.ClusterTransport;
import io.herald.core.cluster.ClusterBusContract;
import io.herald.redis.RedisUnavailableException;
import io.herald.testing.redis.SentinelTopology;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The cluster bus contract over Redis behind Sentinel, and the bus across failovers: a subscriber on another node keeps
 * receiving bus messages after a graceful {@code SENTINEL FAILOVER} (where a plain Jedis subscriber silently stays on the
 * demoted node) and after the leader is killed.
 */
class SentinelClusterBusTest extends ClusterBusContract {

    private static SentinelTopology sentinel;

    private final String channel = "herald-test-" + UUID.randomUUID();
    private final Map<ClusterTransport, List<HaRedisConnection>> connections = new IdentityHashMap<>();

    @BeforeAll
    static void startSentinel() {
        sentinel = SentinelTopology.start();
    }

    @AfterAll
    static void stopSentinel() {
        sentinel.close();
    }

    @Override
    protected ClusterTransport transportFor(String nodeId) {
        HaRedisConnection publisher = TestConnections.sentinel("client", sentinel);
        HaRedisConnection subscriber = TestConnections.sentinel("subscriber", sentinel);
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

    /**
     * Publishes numbered messages until one arrives: pub/sub loses what is published while a subscription moves to the
     * new leader, and a publish during the switch may fail; the subscription must come back, bounded by 60 s.
     */
    private static void publishUntilReceived(Node publisher, BlockingQueue<ClusterMessage> inbox, String when)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        for (int n = 0; System.nanoTime() < deadline; n++) {
            String text = when + " #" + n;
            try {
                publisher.bus.publish("news", text);
            } catch (RedisUnavailableException | io.herald.api.cluster.ClusterException duringTheSwitch) {
                // the retry window ran out while the leader changed: try again
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
