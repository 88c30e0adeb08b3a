package io.herald.core.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import io.herald.api.Action;
import io.herald.api.ActionDescriptor;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The actions currently registered, by name and version. Bundles come and go at run time, so reads use an immutable
 * snapshot rebuilt on every change and never take a lock.
 *
 * <p>Two registrations of one name and version may coexist while a bundle is replaced; the newest answers, and the
 * older one answers again if the newest leaves (Actionhero lets the later file win with a warning).
 *
 * <p>When an action disappears, calls to it wait up to a grace period for a replacement before they get
 * {@code unknown action}: a bundle update unregisters the old version a few tens of milliseconds before the new one
 * registers (osgi-stack-notes P13), and a request arriving in that gap should not fail.
 */
final class ActionRegistry {

    private static final Logger LOG = LoggerFactory.getLogger(ActionRegistry.class);

    private final Object lock = new Object();
    private final List<RegisteredAction> registrations = new ArrayList<>();
    private final Map<String, Long> departedAt = new HashMap<>();
    private volatile Map<String, NavigableMap<Integer, RegisteredAction>> byName = Map.of();

    void add(RegisteredAction action) {
        synchronized (lock) {
            for (RegisteredAction existing : registrations) {
                if (existing.name().equals(action.name()) && existing.version() == action.version()) {
                    LOG.warn("action {} v{} is registered twice: {} now answers instead of {}", action.name(),
                            action.version(), action.action().getClass().getName(), existing.action().getClass().getName());
                }
            }
            registrations.add(action);
            departedAt.remove(action.name());
            rebuild();
            lock.notifyAll();
        }
        LOG.info("action added: {}", action);
    }

    void remove(Action action) {
        List<RegisteredAction> removed = new ArrayList<>();
        synchronized (lock) {
            registrations.removeIf(r -> {
                boolean match = r.action() == action;
                if (match) {
                    removed.add(r);
                }
                return match;
            });
            rebuild();
            long now = System.nanoTime();
            for (RegisteredAction r : removed) {
                NavigableMap<Integer, RegisteredAction> left = byName.get(r.name());
                if (left == null || !left.containsKey(r.version())) {
                    departedAt.put(r.name(), now);
                }
            }
        }
        removed.forEach(r -> LOG.info("action removed: {}", r));
    }

    /** The action of that name and version (the latest when {@code version} is null), or {@code null}. */
    RegisteredAction find(String name, Integer version) {
        NavigableMap<Integer, RegisteredAction> versions = byName.get(name);
        if (versions == null) {
            return null;
        }
        return version == null ? versions.lastEntry().getValue() : versions.get(version);
    }

    /**
     * For a call to an action that is not registered: if an action of that name left less than {@code graceMillis}
     * ago, waits for a replacement until the grace period ends.
     *
     * @return the replacement, or {@code null} when none came (or none was expected)
     */
    RegisteredAction awaitReplacement(String name, Integer version, long graceMillis) throws InterruptedException {
        if (name == null || graceMillis <= 0) {
            return null;
        }
        synchronized (lock) {
            Long left = departedAt.get(name);
            if (left == null) {
                return null;
            }
            long deadline = left + TimeUnit.MILLISECONDS.toNanos(graceMillis);
            while (true) {
                RegisteredAction found = find(name, version);
                if (found != null) {
                    return found;
                }
                long remaining = deadline - System.nanoTime();
                if (remaining <= 0) {
                    departedAt.remove(name);
                    return null;
                }
                TimeUnit.NANOSECONDS.timedWait(lock, remaining);
            }
        }
    }

    /** Every registered action version that answers, sorted by name then version. */
    List<ActionDescriptor> all() {
        List<ActionDescriptor> all = new ArrayList<>();
        byName.values().forEach(versions -> all.addAll(versions.values()));
        return all;
    }

    private void rebuild() {
        Map<String, NavigableMap<Integer, RegisteredAction>> next = new TreeMap<>();
        registrations.stream()
                .sorted(Comparator.comparingLong(RegisteredAction::order))
                .forEach(r -> next.computeIfAbsent(r.name(), n -> new TreeMap<>()).put(r.version(), r));
        byName = next;
    }
}
