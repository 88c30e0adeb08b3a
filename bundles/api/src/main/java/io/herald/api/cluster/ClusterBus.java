package io.herald.api.cluster;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Messages and calls between the nodes of a cluster. Provided by the core on every node; every message it carries is
 * signed with the shared {@code serverToken}, and a node with another token can neither send to nor call this one.
 *
 * <p>Messages and arguments travel as JSON: anything Jackson can write may be sent, and receivers read it back as the
 * type they ask for. Node ids are {@link io.herald.api.spi.ServerIdentity#id() server ids}.
 *
 * <pre>{@code
 * bus.subscribe("announcements", m -> log.info("{} says {}", m.senderId(), m.payload(String.class)));
 * bus.publish("announcements", "deploy at 16:00");
 *
 * bus.callAll("cache.flush", Map.of("prefix", "users:"), Duration.ofSeconds(5))
 *    .thenAccept(replies -> replies.forEach(r -> log.info("{}: {}", r.nodeId(), r.error().orElse("ok"))));
 * }</pre>
 *
 * @since 1.0
 */
@ProviderType
public interface ClusterBus {

    /** This node's id, as it appears in {@link ClusterMessage#senderId()}, {@link ClusterReply#nodeId()} and {@link #members()}. */
    String nodeId();

    /**
     * Sends a message to the subscribers of {@code channel} on every node, this one included (Actionhero's
     * {@code redis.publish}). Delivery is at most once: a node that is down or cut off misses it.
     *
     * @param message anything Jackson can write as JSON
     * @throws IllegalArgumentException when the message cannot be written as JSON
     * @throws ClusterException when the transport cannot send it (Redis unreachable, say)
     */
    void publish(String channel, Object message);

    /**
     * Listens to a channel. Listeners run one message at a time, in the order messages arrived, on the bus's delivery
     * thread: they must not block (hand long work to an executor). An exception thrown by a listener is logged and does
     * not stop delivery.
     *
     * @return closing it stops this listener
     */
    Subscription subscribe(String channel, Consumer<ClusterMessage> listener);

    /**
     * Runs the {@link ClusterCallHandler} registered for {@code method} on every node, this one included (Actionhero's
     * {@code doCluster(method, args)}).
     *
     * <p>The stage completes with one reply per node that answered: as soon as every {@linkplain #members() member}
     * known when the call was sent has replied, or at {@code timeout} with the replies received by then. A node that
     * did not answer in time (down, cut off, slow, or holding another {@code serverToken}) is simply missing from the
     * list, so <b>fewer replies than members means some nodes did not answer</b>. A node without a handler for the
     * method, or whose handler threw, answers with an {@linkplain ClusterReply#error() error reply}. The stage never
     * completes exceptionally because of the timeout.
     *
     * <p>Dependent stages that are not {@code *Async} run on a bus thread: do not block in them.
     *
     * @param args anything Jackson can write; the handler receives them as a JSON-shaped map
     * @throws IllegalArgumentException when the args cannot be written as JSON
     * @throws ClusterException when the transport cannot send the call
     */
    CompletionStage<List<ClusterReply>> callAll(String method, Map<String, ?> args, Duration timeout);

    /**
     * Runs the handler for {@code method} only on the node that holds the connection {@code connectionId} (Actionhero's
     * {@code doCluster(method, args, connectionId, true)}, used to act on a client connected to another node).
     *
     * <p>The stage completes with that node's reply, which may be an {@linkplain ClusterReply#error() error reply}, or
     * completes exceptionally with {@link ClusterTimeoutException} when no node answered within {@code timeout}: nobody
     * holds the connection (it closed), or its node is down or cut off.
     *
     * @throws IllegalArgumentException when the args cannot be written as JSON
     * @throws ClusterException when the transport cannot send the call
     */
    CompletionStage<ClusterReply> callConnectionOwner(String connectionId, String method, Map<String, ?> args,
            Duration timeout);

    /**
     * The nodes heard from recently, this one included, sorted by id. A node is forgotten when it leaves or when
     * nothing was heard from it for the member timeout (it crashed or was cut off).
     */
    List<ClusterMember> members();

    /** A channel listener; closing it stops the delivery to that listener. */
    interface Subscription extends AutoCloseable {

        /** Stops delivering messages to the listener. Closing twice does nothing. */
        @Override
        void close();
    }
}
