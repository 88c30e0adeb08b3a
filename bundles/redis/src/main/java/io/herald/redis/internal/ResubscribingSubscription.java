package io.herald.redis.internal;

import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.herald.redis.RedisMessageListener;
import io.herald.redis.RedisSubscription;

import redis.clients.jedis.JedisPubSub;
import redis.clients.jedis.UnifiedJedis;

/**
 * A subscription on its own thread that subscribes again whenever it is lost: after a connection error (a killed
 * leader, a dead Cluster node) and after every leader change the connection reports, because after a graceful
 * {@code SENTINEL FAILOVER} Jedis keeps the subscriber on the demoted node, which raises no error and receives nothing
 * (measured: wire-format doc section 4).
 */
final class ResubscribingSubscription implements RedisSubscription {

    private static final Logger LOG = LoggerFactory.getLogger(ResubscribingSubscription.class);
    private static final long MAX_PAUSE_MILLIS = 1000;

    private final HaRedisConnection connection;
    private final RedisMessageListener listener;
    private final String[] channels;
    private final Consumer<ResubscribingSubscription> onClose;
    private final Thread thread;
    private volatile Adapter current;
    private volatile boolean closed;
    /** Set when the subscription was lost, so the loss and the return are logged once each, not every attempt. */
    private volatile boolean lost;

    ResubscribingSubscription(HaRedisConnection connection, RedisMessageListener listener, String[] channels,
            Consumer<ResubscribingSubscription> onClose) {
        this.connection = connection;
        this.listener = listener;
        this.channels = channels;
        this.onClose = onClose;
        this.thread = new Thread(this::run, "herald-redis-" + connection.name() + "-subscriber-"
                + String.join(",", channels));
        thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    @Override
    public boolean isSubscribed() {
        Adapter adapter = current;
        return !closed && adapter != null && adapter.isSubscribed() && adapter.generation == connection.leaderGeneration();
    }

    /** Called by the connection's supervisor: leave the old leader, the loop subscribes on the new one. */
    void leaderChanged(long generation) {
        Adapter adapter = current;
        if (adapter != null && adapter.generation < generation && adapter.isSubscribed()) {
            adapter.leave();
        }
        // not yet confirmed: Adapter.onSubscribe sees the new generation and leaves by itself
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        Adapter adapter = current;
        if (adapter != null && adapter.isSubscribed()) {
            adapter.leave();
        }
        thread.interrupt();
        try {
            thread.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        onClose.accept(this);
    }

    private void run() {
        long pauseMillis = 50;
        while (!closed) {
            UnifiedJedis client = connection.client();
            if (client == null) {
                pauseMillis = pause(pauseMillis);
                continue;
            }
            Adapter adapter = new Adapter(connection.leaderGeneration());
            current = adapter;
            try {
                client.subscribe(adapter, channels);
                // returned without an error: we left on purpose (leader change or close)
                pauseMillis = 50;
            } catch (RuntimeException e) {
                if (!closed) {
                    if (!lost) {
                        lost = true;
                        LOG.info("Redis connection '{}': subscription to {} lost ({}); subscribing again",
                                connection.name(), Arrays.toString(channels), connection.describe(e));
                    } else {
                        LOG.debug("Redis connection '{}': subscribing to {} failed again: {}", connection.name(),
                                Arrays.toString(channels), connection.describe(e));
                    }
                    pauseMillis = pause(pauseMillis);
                }
            } finally {
                current = null;
            }
        }
    }

    private long pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            // close() interrupts; the loop checks closed
        }
        return Math.min(millis * 2, MAX_PAUSE_MILLIS);
    }

    /** One subscribe call: confirmed on the leader of its generation, left when that leader is no longer the one. */
    private final class Adapter extends JedisPubSub {

        final long generation;

        Adapter(long generation) {
            this.generation = generation;
        }

        @Override
        public void onSubscribe(String channel, int subscribedChannels) {
            if (closed || generation != connection.leaderGeneration()) {
                leave();
            } else if (subscribedChannels == channels.length && lost) {
                lost = false;
                LOG.info("Redis connection '{}': subscribed to {} again", connection.name(), Arrays.toString(channels));
            }
        }

        @Override
        public void onMessage(String channel, String message) {
            try {
                listener.onMessage(channel, message);
            } catch (RuntimeException e) {
                LOG.warn("Redis connection '{}': the listener of channel {} failed on a message", connection.name(),
                        channel, e);
            }
        }

        void leave() {
            try {
                unsubscribe();
            } catch (RuntimeException e) {
                // the connection is already broken: the subscribe call fails and the loop goes on
                LOG.debug("Redis connection '{}': unsubscribe failed: {}", connection.name(), RedisErrors.describe(e));
            }
        }
    }
}
