package io.herald.redis.internal;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

import io.herald.api.spi.ClusterTransport;
import redis.clients.jedis.BuilderFactory;
import redis.clients.jedis.CommandArguments;
import redis.clients.jedis.CommandObject;
import redis.clients.jedis.Protocol;
import io.herald.redis.RedisConnection;
import io.herald.redis.RedisSubscription;

/**
 * Carries the cluster bus between nodes over Redis pub/sub, as Actionhero's {@code redis.publish} does on its
 * {@code general.channel}: publishes through one connection (Actionhero's {@code client}) and receives through another
 * ({@code subscriber}), whose subscription survives failovers. The bus signs and checks every message itself; this
 * class only moves bytes. Messages published while a subscription is being re-established are lost, as with any Redis
 * pub/sub: the bus's calls time out rather than wait forever.
 */
final class RedisClusterTransport implements ClusterTransport {

    private static final long SUBSCRIBE_WAIT_MILLIS = 5000;

    private final RedisConnection publisher;
    private final RedisConnection subscriber;
    private final String channel;

    RedisClusterTransport(RedisConnection publisher, RedisConnection subscriber, String channel) {
        if (channel == null || channel.isBlank()) {
            throw new IllegalArgumentException("the cluster channel must not be empty");
        }
        this.publisher = publisher;
        this.subscriber = subscriber;
        this.channel = channel;
    }

    @Override
    public void send(byte[] message) {
        // The bus's envelopes are JSON text: UTF-8 both ways keeps them byte for byte.
        String text = new String(message, StandardCharsets.UTF_8);
        // The channel goes as a key: a Cluster client then sends every PUBLISH to the channel's slot owner. Jedis's own
        // publish() sends it to any node, and messages entering the cluster at different nodes reach a subscriber in
        // any order; through one node they keep the order they were sent in. Standalone and Sentinel are unaffected.
        CommandObject<Long> publish = new CommandObject<>(
                new CommandArguments(Protocol.Command.PUBLISH).key(channel).add(text), BuilderFactory.LONG);
        publisher.execute(redis -> redis.executeCommand(publish));
    }

    @Override
    public AutoCloseable receive(Consumer<byte[]> receiver) {
        RedisSubscription subscription = subscriber.subscribe(
                (from, message) -> receiver.accept(message.getBytes(StandardCharsets.UTF_8)), channel);
        // Redis confirms a SUBSCRIBE asynchronously, and what is published before that is not delivered: wait for it, so
        // a node hears its own first messages (its join, its first calls). Bounded: with Redis down the subscription
        // keeps trying by itself and this node simply hears nothing until it succeeds.
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(SUBSCRIBE_WAIT_MILLIS);
        while (!subscription.isSubscribed() && System.nanoTime() < deadline) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
        }
        return subscription;
    }

    @Override
    public String describe() {
        return "redis channel " + channel + " (publish: " + publisher.name() + ", subscribe: " + subscriber.name() + ")";
    }
}
