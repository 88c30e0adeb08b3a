package io.herald.redis.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.herald.api.cache.Cache;
import io.herald.api.cache.CacheUnavailableException;
import io.herald.redis.RedisSubscription;
import io.herald.testing.Await;
import io.herald.testing.redis.ClusterTopology;
import io.herald.testing.redis.Failover;

import redis.clients.jedis.util.JedisClusterCRC16;

/** A Cluster master killed (SIGKILL) under a writing client and a subscriber: both carry on once the cluster heals. */
class ClusterFailoverTest {

    private static final Logger LOG = LoggerFactory.getLogger(ClusterFailoverTest.class);

    private static ClusterTopology topology;
    private static HaRedisConnection client;
    private static HaRedisConnection subscriber;

    @BeforeAll
    static void startCluster() {
        topology = ClusterTopology.start();
        client = TestConnections.cluster("client", topology);
        subscriber = TestConnections.cluster("subscriber", topology);
    }

    @AfterAll
    static void stopCluster() {
        for (AutoCloseable closeable : new AutoCloseable[] {subscriber, client, topology}) {
            try {
                if (closeable != null) {
                    closeable.close();
                }
            } catch (Exception e) {
                LOG.warn("closing {}", closeable, e);
            }
        }
    }

    @Test
    void the_cache_and_a_subscriber_continue_after_a_master_is_killed() throws Exception {
        Cache cache = new RedisCache(client, "writer", TestConnections.MAPPER);
        String hotKey = "cluster-hot";
        int slot = JedisClusterCRC16.getSlot(CacheKeys.value(hotKey));
        assertEquals(slot, JedisClusterCRC16.getSlot(CacheKeys.lock(hotKey)), "a value and its lock share a slot");
        BlockingQueue<String> received = new LinkedBlockingQueue<>();
        List<String> outcomes = new ArrayList<>();
        List<Throwable> unexpected = new ArrayList<>();
        AtomicBoolean stop = new AtomicBoolean();
        try (RedisSubscription subscription = subscriber.subscribe((channel, message) -> received.add(message),
                "herald:test:cluster-bus")) {
            Await.until(subscription::isSubscribed, "subscribed");
            Thread writer = new Thread(() -> {
                for (int i = 0; !stop.get(); i++) {
                    try {
                        cache.save(hotKey, i, Duration.ofMinutes(5));
                        record(outcomes, "ok");
                    } catch (CacheUnavailableException e) {
                        record(outcomes, "unavailable: " + e.getMessage());
                    } catch (Throwable e) {
                        synchronized (unexpected) {
                            unexpected.add(e);
                        }
                        return;
                    }
                }
            }, "writer");
            writer.start();
            Await.until(() -> count(outcomes, "ok") >= 20, "writes before the kill");
            Failover failover = topology.killMasterOfSlot(slot);
            int before = count(outcomes, "ok");
            Await.until(() -> count(outcomes, "ok") >= before + 50 || !writer.isAlive(),
                    "writes after the failover");
            stop.set(true);
            writer.join(TimeUnit.SECONDS.toMillis(30));
            synchronized (outcomes) {
                LOG.info("cluster failover {}: {} writes, {} unavailable: {}", failover, outcomes.size(),
                        outcomes.stream().filter(o -> !o.equals("ok")).count(),
                        outcomes.stream().filter(o -> !o.equals("ok")).toList());
            }
            assertEquals(List.of(), unexpected);

            cache.save("after-cluster-failover", "ok");
            assertEquals(Optional.of("ok"), cache.load("after-cluster-failover", String.class));
            assertTrue(cache.keys("after-cluster").contains("after-cluster-failover"));
            assertTrue(cache.lock(hotKey, Duration.ofMinutes(1)));
            assertTrue(cache.unlock(hotKey));

            // the subscriber may have been on the killed node: it subscribes again on a live one
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            boolean got = false;
            for (int n = 0; !got && System.nanoTime() < deadline; n++) {
                String message = "after-kill-" + n;
                try {
                    client.execute(jedis -> jedis.publish("herald:test:cluster-bus", message));
                } catch (RuntimeException e) {
                    LOG.info("publish {} failed: {}", message, e.getMessage());
                }
                String polled = received.poll(200, TimeUnit.MILLISECONDS);
                got = polled != null && polled.startsWith("after-kill-");
            }
            assertTrue(got, "the subscriber receives messages after the failover");
        } finally {
            stop.set(true);
        }
    }

    private static void record(List<String> outcomes, String outcome) {
        synchronized (outcomes) {
            outcomes.add(outcome);
        }
    }

    private static int count(List<String> outcomes, String outcome) {
        synchronized (outcomes) {
            return (int) outcomes.stream().filter(outcome::equals).count();
        }
    }
}
