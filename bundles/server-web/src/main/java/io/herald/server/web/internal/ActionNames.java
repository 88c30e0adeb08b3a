package io.herald.server.web.internal;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import io.herald.api.ActionDescriptor;
import io.herald.api.spi.ActionRunner;

/**
 * Finds the registered action a path segment names, ignoring case: {@code /api/ECHO} runs {@code echo}, as
 * Actionhero's router compares path parts ignoring case. An exact name always wins, so actions {@code echo} and
 * {@code Echo} both stay reachable. The names are a snapshot of the runner's actions, refreshed when a name is not in it
 * (at most once a second, so requests for unknown actions cost no more than that).
 */
final class ActionNames {

    private static final long REFRESH_NANOS = TimeUnit.SECONDS.toNanos(1);

    private record Snapshot(Set<String> exact, Map<String, String> byLowerCase, long takenAt) {
    }

    private final Supplier<ActionRunner> runner;
    private final LongSupplier nanoTime;
    private volatile Snapshot snapshot;

    ActionNames(Supplier<ActionRunner> runner, LongSupplier nanoTime) {
        this.runner = runner;
        this.nanoTime = nanoTime;
        this.snapshot = new Snapshot(Set.of(), Map.of(), nanoTime.getAsLong() - 2 * REFRESH_NANOS);
    }

    /** The registered name {@code requested} stands for, or {@code requested} itself when none does. */
    String canonical(String requested) {
        Snapshot current = snapshot;
        String found = lookup(current, requested);
        if (found == null && nanoTime.getAsLong() - current.takenAt() >= REFRESH_NANOS) {
            current = refresh();
            found = lookup(current, requested);
        }
        return found == null ? requested : found;
    }

    private static String lookup(Snapshot snapshot, String requested) {
        if (snapshot.exact().contains(requested)) {
            return requested;
        }
        return snapshot.byLowerCase().get(requested.toLowerCase(Locale.ROOT));
    }

    private Snapshot refresh() {
        ActionRunner current = runner.get();
        Set<String> exact = new HashSet<>();
        Map<String, String> byLowerCase = new HashMap<>();
        if (current != null) {
            for (ActionDescriptor action : current.actions()) {
                exact.add(action.name());
                // Two names differing only in case: the first (sorted) one answers the other spellings.
                byLowerCase.putIfAbsent(action.name().toLowerCase(Locale.ROOT), action.name());
            }
        }
        Snapshot next = new Snapshot(Set.copyOf(exact), Map.copyOf(byLowerCase), nanoTime.getAsLong());
        snapshot = next;
        return next;
    }
}
