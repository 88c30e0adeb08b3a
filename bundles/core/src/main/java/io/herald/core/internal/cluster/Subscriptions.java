package io.herald.core.internal.cluster;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import io.herald.api.cluster.ClusterBus;
import io.herald.api.cluster.ClusterMessage;

import org.slf4j.Logger;

/** The channel listeners of this node. */
final class Subscriptions {

    private final Map<String, List<Consumer<ClusterMessage>>> byChannel = new ConcurrentHashMap<>();
    private final Logger log;

    Subscriptions(Logger log) {
        this.log = log;
    }

    ClusterBus.Subscription add(String channel, Consumer<ClusterMessage> listener) {
        // A wrapper per subscription, so that subscribing one listener twice gives two independent subscriptions.
        Consumer<ClusterMessage> entry = listener::accept;
        byChannel.compute(channel, (c, listeners) -> {
            List<Consumer<ClusterMessage>> next = listeners == null ? new CopyOnWriteArrayList<>() : listeners;
            next.add(entry);
            return next;
        });
        return () -> byChannel.computeIfPresent(channel, (c, listeners) -> {
            listeners.remove(entry);
            return listeners.isEmpty() ? null : listeners;
        });
    }

    void deliver(ClusterMessage message) {
        List<Consumer<ClusterMessage>> listeners = byChannel.get(message.channel());
        if (listeners == null) {
            return;
        }
        for (Consumer<ClusterMessage> listener : listeners) {
            try {
                listener.accept(message);
            } catch (RuntimeException e) {
                // One faulty listener must not keep the message from the others, nor stop the delivery thread.
                log.warn("a listener of cluster channel {} failed on a message from {}", message.channel(),
                        message.senderId(), e);
            }
        }
    }
}
