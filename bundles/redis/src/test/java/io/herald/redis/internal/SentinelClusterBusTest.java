package io.herald.redis.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import io.herald.api.RequestMetadata;
import io.herald.api.cache.Cache;
import io.herald.api.chat.ChatException;
import io.herald.api.chat.ChatMessage;
import io.herald.api.cluster.ClusterMessage;
import io.herald.api.spi.ClientChannel;
import io.herald.api.spi.TransportConnection;
import io.herald.core.internal.connections.ConnectionHub;
import io.herald.testing.redis.SentinelTopology;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The cluster bus contract over Redis behind Sentinel, and the bus across failovers: a subscriber on another node keeps
 * receiving bus messages after a graceful {@code SENTINEL FAILOVER} (where a plain Jedis subscriber silently stays on the
 * demoted node) and after the leader is killed; and chat room members on two nodes keep hearing each other.
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

    /** A node's chat: a hub on the node's bus, its handlers registered, its connections known to the bus. */
    private static ConnectionHub chatOn(Node node, HaRedisConnection cacheConnection) {
        Cache cache = new RedisCache(cacheConnection, node.id, TestConnections.MAPPER);
        ConnectionHub hub = new ConnectionHub(() -> node.bus, () -> cache);
        hub.clusterHandlers().forEach(node.handlers::add);
        node.bus.subscribe(ConnectionHub.CHAT_CHANNEL, hub::deliver);
        return hub;
    }

    private static TransportConnection member(Node node, ConnectionHub hub, String id, BlockingQueue<Object> inbox)
            throws Exception {
        TransportConnection connection = TransportConnection.stateful(id, "websocket", "127.0.0.1", 1, id,
                new ClientChannel() {
                    @Override
                    public boolean send(Object message) {
                        return inbox.add(message);
                    }

                    @Override
                    public void close(String reason) {
                    }
                }, RequestMetadata.none());
        hub.opened(connection);
        node.connections.add(id);
        return connection;
    }

    /** Says a numbered line until the member hears one: a publish during the switch may be lost or refused. */
    private static void sayUntilHeard(ConnectionHub hub, TransportConnection speaker, BlockingQueue<Object> inbox,
            String when) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        for (int n = 0; System.nanoTime() < deadline; n++) {
            try {
                hub.say(speaker, "lobby", when + " #" + n);
            } catch (RuntimeException | ChatException duringTheSwitch) {
                // the room lookup or the publish failed while the leader changed: try again
            }
            for (Object m; (m = inbox.poll(250, TimeUnit.MILLISECONDS)) != null;) {
                if (String.valueOf(((ChatMessage) m).message()).startsWith(when)) {
                    return;
                }
            }
        }
        throw new AssertionError("no chat message arrived " + when + " within 60 s");
    }

    @Test
    void room_members_on_two_nodes_keep_hearing_each_other_across_failovers() throws Exception {
        List<Node> cluster = startCluster("chat-a", "chat-b");
        try (HaRedisConnection cacheA = TestConnections.sentinel("client", sentinel);
                HaRedisConnection cacheB = TestConnections.sentinel("client", sentinel)) {
            cacheA.start();
            cacheB.start();
            ConnectionHub a = chatOn(cluster.get(0), cacheA);
            ConnectionHub b = chatOn(cluster.get(1), cacheB);
            BlockingQueue<Object> annInbox = new LinkedBlockingQueue<>();
            BlockingQueue<Object> bobInbox = new LinkedBlockingQueue<>();
            TransportConnection ann = member(cluster.get(0), a, "ann-" + UUID.randomUUID(), annInbox);
            member(cluster.get(1), b, "bob-" + UUID.randomUUID(), bobInbox);
            a.create("lobby");
            a.join(ann.id(), "lobby").toCompletableFuture().get(10, TimeUnit.SECONDS);
            a.join(cluster.get(1).connections.iterator().next(), "lobby").toCompletableFuture().get(10, TimeUnit.SECONDS);
            sayUntilHeard(a, ann, bobInbox, "before");

            sentinel.failoverGracefully();
            sayUntilHeard(a, ann, bobInbox, "after the graceful failover");
            // members() asks every node: one whose subscriber is still moving to the new leader does not answer yet
            // (its reply is skipped), so the count comes back to 2 once both nodes answer again.
            int known = 0;
            for (long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30); known != 2
                    && System.nanoTime() < deadline;) {
                known = b.members("lobby").toCompletableFuture().get(10, TimeUnit.SECONDS).size();
                if (known != 2) {
                    Thread.sleep(100);
                }
            }
            assertEquals(2, known, "the members are still known");

            sentinel.killLeader();
            sayUntilHeard(a, ann, bobInbox, "after the leader was killed");
            sentinel.restartKilled();
            a.destroy("lobby");
        }
    }
}
