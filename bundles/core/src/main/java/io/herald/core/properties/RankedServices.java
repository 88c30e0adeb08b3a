package io.herald.core.properties;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Services of one kind of which the highest ranked answers (OSGi's rule for a unary reference: highest
 * {@code service.ranking}, then lowest {@code service.id}). Reads take a snapshot without locking: one per call.
 *
 * @since 1.1
 */
public final class RankedServices<T> {

    private record Entry<T>(T service, int ranking, long order) {
    }

    private static final Comparator<Entry<?>> BEST_FIRST = Comparator.<Entry<?>>comparingInt(Entry::ranking).reversed()
            .thenComparingLong(Entry::order);

    private final List<Entry<T>> entries = new ArrayList<>();
    private volatile T best;

    public synchronized void add(T service, int ranking, long order) {
        entries.add(new Entry<>(service, ranking, order));
        entries.sort(BEST_FIRST);
        best = entries.get(0).service();
    }

    public synchronized void remove(T service) {
        entries.removeIf(e -> e.service() == service);
        best = entries.isEmpty() ? null : entries.get(0).service();
    }

    /** The service that answers, or {@code null} when none is registered. */
    public T best() {
        return best;
    }
}
