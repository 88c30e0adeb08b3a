package io.herald.core.internal.connections;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import io.herald.api.MiddlewareDefinition;
import io.herald.core.properties.ServiceProperties;

/**
 * Connection or chat middleware in the order it runs: ascending {@code herald.middleware.priority}, then registration
 * order. Reads take an immutable snapshot, so a bundle leaving never disturbs a middleware chain that is running.
 */
final class PriorityList<T> {

    private record Entry<T>(T service, int priority, long order) {
    }

    private final List<Entry<T>> entries = new ArrayList<>();
    private volatile List<T> snapshot = List.of();

    synchronized void add(T service, Map<String, ?> properties, long order) {
        entries.add(new Entry<>(service, ServiceProperties.integer(properties, MiddlewareDefinition.PREFIX_ + "priority",
                MiddlewareDefinition.DEFAULT_PRIORITY), order));
        entries.sort(Comparator.<Entry<T>>comparingInt(Entry::priority).thenComparingLong(Entry::order));
        snapshot = entries.stream().map(Entry::service).toList();
    }

    synchronized void remove(T service) {
        entries.removeIf(e -> e.service() == service);
        snapshot = entries.stream().map(Entry::service).toList();
    }

    List<T> all() {
        return snapshot;
    }
}
