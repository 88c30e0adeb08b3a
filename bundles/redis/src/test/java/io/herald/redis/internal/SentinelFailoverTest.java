package io.herald.redis.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.herald.api.cache.Cache;
import io.herald.api.cache.CacheUnavailableException;
import io.herald.redis.RedisConnection;
import io.herald.redis.RedisSubscription;
import io.herald.testing.Await;
import io.herald.testing.redis.Failover;
import io.herald.testing.redis.SentinelTopology;

/**
 * Real Sentinel failovers under a client: SIGKILL of the leader while a client writes through the cache, and a
 * subscriber on another connection (another node) across a graceful {@code SENTINEL FAILOVER} and a kill.
 */
class SentinelFailoverTest {

    private static final Logger LOG = LoggerFactory.getLogger(SentinelFailoverTest.class);

    private static SentinelTopology topology;
    private static HaRedisConnection client;
    private static HaRedisConnection subscriber;
    /** A retry window shorter than the failover: its writes during the switch fail with the documented error. */
    private static HaRedisConnection impatient;

    @BeforeAll
    static void startSentinel() {
        topology = SentinelTopology.start();
        client = TestConnections.sentinel("client", topology);
        subscriber = TestConnections.sentinel("subscriber", topology);
        impatient = TestConnections.sentinel("impatient", topology, 300);
    }

    @AfterAll
    static void stopSentinel() {
        for (AutoCloseable closeable : new AutoCloseable[] {impatient, subscriber, client, topology}) {
            try {
                if (closeable != null) {
                    closeable.close();
                }
            } catch (Exception e) {
                LOG.warn("closing {}", closeable, e);
            }
        }
    }

    @AfterEach
    void bringKilledNodesBack() {
        topology.restartKilled();
    }

    /** What one write did: succeeded, or failed with the cache's documented error. */
    private record Write(int index, boolean succeeded, long millis, String error) {
    }

    @Test
    void every_write_during_a_killed_leader_succeeds_or_fails_with_the_documented_error() throws Exception {
        Writer patient = new Writer(new RedisCache(client, "writer", TestConnections.MAPPER), "patient");
        Writer hasty = new Writer(new RedisCache(impatient, "hasty-writer", TestConnections.MAPPER), "hasty");
        patient.start();
        hasty.start();
        Await.until(() -> patient.successesSince(0) >= 20 && hasty.successesSince(0) >= 20,
                "writes before the kill");
        Failover failover = topology.killLeader();
        int patientMark = patient.count();
        int hastyMark = hasty.count();
        Await.until(() -> (patient.successesSince(patientMark) >= 50 || !patient.isAlive())
                && (hasty.successesSince(hastyMark) >= 50 || !hasty.isAlive()), "50 writes each after the failover");
        patient.finish();
        hasty.finish();

        for (Writer writer : List.of(patient, hasty)) {
            assertEquals(List.of(), writer.unexpected, writer.getName()
                    + ": writes failed with something else than CacheUnavailableException");
            List<Write> failed = writer.failed();
            LOG.info("failover {}: {} writer (retry window {} ms): {} writes, {} failed with"
                    + " CacheUnavailableException, slowest write {} ms; first failure: {}", failover,
                    writer.getName(), writer.connectionWindow, writer.count(), failed.size(), writer.slowestMillis(),
                    failed.isEmpty() ? "none" : failed.get(0));
            for (Write write : failed) {
                assertTrue(write.error().contains("Redis connection '"), "the error names the connection: "
                        + write.error());
            }
        }
        // the same caches serve again, without a restart, on the new leader
        Cache cache = patient.cache;
        cache.save("after-failover", "ok");
        assertEquals(Optional.of("ok"), cache.load("after-failover", String.class));
        assertEquals(Optional.of("ok"), hasty.cache.load("after-failover", String.class));
        assertEquals(RedisConnection.State.CONNECTED, client.state());
        assertNotEquals(failover.from(), failover.to());
    }

    /** Saves continuously through one cache, recording each outcome. */
    private static final class Writer extends Thread {
        final Cache cache;
        final long connectionWindow;
        final List<Write> writes = new ArrayList<>();
        final List<Throwable> unexpected = new ArrayList<>();
        final AtomicBoolean stop = new AtomicBoolean();

        Writer(Cache cache, String name) {
            super(name);
            this.cache = cache;
            this.connectionWindow = (name.equals("hasty") ? impatient : client).settings().retryWindowMillis();
        }

        @Override
        public void run() {
            for (int i = 0; !stop.get(); i++) {
                long started = System.nanoTime();
                try {
                    cache.save(getName() + "-" + i, i, Duration.ofMinutes(5));
                    record(new Write(i, true, elapsed(started), null));
                } catch (CacheUnavailableException e) {
                    record(new Write(i, false, elapsed(started), e.getMessage()));
                    pauseAfterFailure();
                } catch (Throwable e) {
                    synchronized (writes) {
                        unexpected.add(e);
                    }
                    return;
                }
            }
        }

        /** A DOWN connection fails at once; a real caller would not spin on it either. */
        private void pauseAfterFailure() {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                stop.set(true);
            }
        }

        void finish() throws InterruptedException {
            stop.set(true);
            join(TimeUnit.SECONDS.toMillis(30));
        }

        private void record(Write write) {
            synchronized (writes) {
                writes.add(write);
            }
        }

        int count() {
            synchronized (writes) {
                return writes.size();
            }
        }

        long successesSince(int from) {
            synchronized (writes) {
                return writes.subList(from, writes.size()).stream().filter(Write::succeeded).count();
            }
        }

        List<Write> failed() {
            synchronized (writes) {
                return writes.stream().filter(w -> !w.succeeded()).toList();
            }
        }

        long slowestMillis() {
            synchronized (writes) {
                return writes.stream().mapToLong(Write::millis).max().orElse(0);
            }
        }
    }

    @Test
    void a_subscriber_keeps_receiving_after_a_graceful_failover_and_after_a_killed_leader() throws Exception {
        BlockingQueue<String> received = new LinkedBlockingQueue<>();
        try (RedisSubscription subscription = subscriber.subscribe((channel, message) -> received.add(message),
                "herald:test:bus")) {
            Await.until(subscription::isSubscribed, "subscribed");
            assertReceivesAfter("start", received);

            Failover graceful = topology.failoverGracefully();
            LOG.info("graceful failover: {}", graceful);
            assertReceivesAfter("graceful", received);

            Failover kill = topology.killLeader();
            LOG.info("killed leader: {}", kill);
            assertReceivesAfter("kill", received);
        }
    }

    /**
     * Publishes {@code step-N} on the client connection until the subscriber receives one of them: messages
     * published while the subscriber moves are lost (Redis pub/sub keeps nothing), the point is that it comes back.
     */
    private static void assertReceivesAfter(String step, BlockingQueue<String> received) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        for (int n = 0; System.nanoTime() < deadline; n++) {
            String message = step + "-" + n;
            try {
                client.execute(jedis -> jedis.publish("herald:test:bus", message));
            } catch (RuntimeException e) {
                LOG.info("publish {} failed: {}", message, e.getMessage());
            }
            String got = received.poll(200, TimeUnit.MILLISECONDS);
            while (got != null) {
                if (got.startsWith(step + "-")) {
                    return;
                }
                got = received.poll();
            }
        }
        throw new AssertionError("the subscriber received nothing published after: " + step);
    }

    private static long elapsed(long started) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
    }
}
