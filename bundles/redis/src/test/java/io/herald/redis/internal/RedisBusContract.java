package io.herald.redis.internal;

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

/**
 * The cluster bus contract with nodes talking through a real Redis (standalone, Sentinel or Cluster, as the subclass
 * connects): each node publishes through its own {@code client} connection and receives through its own
 * {@code subscriber}, as separate Herald processes do.
 */
abstract class RedisBusContract extends ClusterBusContract {

    /** One channel per test, so no test hears another's nodes. */
    protected final String channel = "herald-test-" + UUID.randomUUID();
    private final Map<ClusterTransport, List<HaRedisConnection>> connections = new IdentityHashMap<>();

    /** A new, connected connection named {@code name} to the subclass's Redis. */
    protected abstract HaRedisConnection connect(String name);

    @Override
    protected ClusterTransport transportFor(String nodeId) {
        HaRedisConnection publisher = connect("client");
        HaRedisConnection subscriber = connect("subscriber");
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

    /**
     * Publishes numbered messages until one arrives: pub/sub loses what is published while a subscription moves to a
     * new leader, and a publish during the switch may fail; the subscription must come back, bounded by 60 s.
     */
    protected static void publishUntilReceived(Node publisher, BlockingQueue<ClusterMessage> inbox, String when)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        for (int n = 0; System.nanoTime() < deadline; n++) {
            try {
                publisher.bus.publish("news", when + " #" + n);
            } catch (RedisUnavailableException | ClusterException duringTheSwitch) {
                // the leader changed for longer than the retry window: try again
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
