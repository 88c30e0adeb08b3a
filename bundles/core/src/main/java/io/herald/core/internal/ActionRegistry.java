package io.herald.core.internal;

import java.time.Duration;
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
 * <p>A departing action's calls in flight finish first: {@link #remove} (DS calls it while the action's bundle stops,
 * before the bundle's class loader goes away) takes the action out of the snapshot, then waits until the calls still
 * running on it end, at most {@link #DRAIN_TIMEOUT}. New calls meanwhile go to another registration of the same name
 * and version, or wait for a replacement.
 *
 * <p>When an action disappears, calls to it wait up to a grace period for a replacement before they get
 * {@code unknown action}: a bundle update unregisters the old version a few tens of milliseconds before the new one
 * registers (Declarative Services unbinds the old service and binds the new one as two separate events), and a request
 * arriving in that gap should not fail. The old bundle stops only after its calls in flight are done, so the grace
 * counts from the end of that wait.
 */
final class ActionRegistry {

    /**
     * How long {@link #remove} waits for the calls in flight on a departing action: as long as the web server's
     * default {@code shutdownTimeout} gives requests in flight at a stop (10 s), so a hot undeploy is as patient as a
     * stop. Calls still running then are left to fail as the bundle stops under them, and a WARN says so.
     */
    static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(10);

    private static final Logger LOG = LoggerFactory.getLogger(ActionRegistry.class);

    private final Object lock = new Object();
    private final List<RegisteredAction> registrations = new ArrayList<>();
    /** By name: when the last registration of that name left, or when the wait for its calls in flight ended. */
    private final Map<String, Long> departedAt = new HashMap<>();
    /** By name: registrations still waiting for their calls in flight; a replacement is waited for without deadline. */
    private final Map<String, Integer> draining = new HashMap<>();
    private final Duration drainTimeout;
    private volatile Map<String, NavigableMap<Integer, RegisteredAction>> byName = Map.of();

    ActionRegistry() {
        this(DRAIN_TIMEOUT);
    }

    /** @param drainTimeout how long {@link #remove} waits for the calls in flight on the action leaving */
    ActionRegistry(Duration drainTimeout) {
        this.drainTimeout = drainTimeout;
    }

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

    /**
     * Takes the action out, then waits (at most the drain timeout) until the calls in flight on it have ended. Calls
     * starting meanwhile do not reach it.
     */
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
                draining.merge(r.name(), 1, Integer::sum);
            }
        }
        for (RegisteredAction r : removed) {
            drain(r);
            LOG.info("action removed: {}", r);
        }
    }

    private void drain(RegisteredAction action) {
        try {
            int running = action.retireAndAwaitIdle(drainTimeout.toNanos(), TimeUnit.NANOSECONDS);
            if (running > 0) {
                LOG.warn("action {} leaves with {} call(s) still running after {} ms: they may fail as its bundle stops",
                        action, running, drainTimeout.toMillis());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            LOG.warn("action {} leaves without waiting for its {} call(s) in flight: interrupted", action,
                    action.inFlight());
        } finally {
            synchronized (lock) {
                draining.computeIfPresent(action.name(), (name, count) -> count == 1 ? null : count - 1);
                departedAt.computeIfPresent(action.name(), (name, at) -> System.nanoTime());
                lock.notifyAll();
            }
        }
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
     * The action of that name and version, {@linkplain RegisteredAction#enter() entered}: the caller must
     * {@link RegisteredAction#exit()} it when done. {@code null} when none is registered.
     */
    RegisteredAction acquire(String name, Integer version) {
        while (true) {
            RegisteredAction found = find(name, version);
            // Not entered: it was retired after this lookup, and the snapshot without it is already published.
            if (found == null || found.enter()) {
                return found;
            }
        }
    }

    /**
     * For a call to an action that is not registered: if an action of that name left less than {@code graceMillis}
     * ago, or is still waiting for its calls in flight, waits for a replacement until the grace period ends.
     *
     * @return the replacement, {@linkplain RegisteredAction#enter() entered}; or {@code null} when none came (or none
     *     was expected)
     */
    RegisteredAction awaitReplacement(String name, Integer version, long graceMillis) throws InterruptedException {
        if (name == null || graceMillis <= 0) {
            return null;
        }
        synchronized (lock) {
            while (true) {
                RegisteredAction found = acquire(name, version);
                if (found != null) {
                    return found;
                }
                Long left = departedAt.get(name);
                if (left == null) {
                    return null;
                }
                if (draining.containsKey(name)) {
                    lock.wait();
                    continue;
                }
                long remaining = left + TimeUnit.MILLISECONDS.toNanos(graceMillis) - System.nanoTime();
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
