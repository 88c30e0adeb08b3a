package io.herald.core.internal.cluster;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import io.herald.api.cluster.ClusterCallHandler;

/**
 * The {@link ClusterCallHandler}s of this node by method name (the whiteboard). When several serve one method the one
 * with the highest ranking runs, then the oldest service, as Declarative Services would choose.
 */
public final class CallHandlers {

    private record Registered(ClusterCallHandler handler, int ranking, long serviceId) {
    }

    private static final Comparator<Registered> BEST_FIRST = Comparator.comparingInt(Registered::ranking).reversed()
            .thenComparingLong(Registered::serviceId);

    private final Map<String, List<Registered>> byMethod = new ConcurrentHashMap<>();

    /** Registers a handler without service metadata (tests, embedding). */
    public void add(String method, ClusterCallHandler handler) {
        add(method, handler, 0, Long.MAX_VALUE);
    }

    public void add(String method, ClusterCallHandler handler, int ranking, long serviceId) {
        byMethod.compute(method, (name, current) -> {
            List<Registered> next = current == null ? new ArrayList<>() : new ArrayList<>(current);
            next.add(new Registered(handler, ranking, serviceId));
            next.sort(BEST_FIRST);
            return List.copyOf(next);
        });
    }

    /** Removes the handler from every method it serves. */
    public void remove(ClusterCallHandler handler) {
        for (String method : List.copyOf(byMethod.keySet())) {
            byMethod.computeIfPresent(method, (name, current) -> {
                List<Registered> next = new ArrayList<>(current);
                next.removeIf(r -> r.handler == handler);
                return next.isEmpty() ? null : List.copyOf(next);
            });
        }
    }

    Optional<ClusterCallHandler> find(String method) {
        List<Registered> handlers = byMethod.get(method);
        return handlers == null ? Optional.empty() : Optional.of(handlers.get(0).handler);
    }
}
