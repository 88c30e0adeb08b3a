package io.herald.core.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.herald.api.ActionMiddleware;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The action middleware currently registered, and the chain each action runs through.
 *
 * <p>Every change publishes a new immutable {@link Snapshot}, which caches the chains computed from it. A chain is
 * therefore always computed from, and cached with, one registry state: a call racing a change gets the chain of the
 * state before or after it, and a chain computed from the state before can never be cached for the state after.
 * Chains are cached by the middleware names an action lists, so a removed action's bundle is not kept reachable.
 */
final class MiddlewareRegistry {

    private static final Logger LOG = LoggerFactory.getLogger(MiddlewareRegistry.class);

    /** The chain of an action, or the name of a middleware it needs that is not registered. */
    record Chain(List<RegisteredMiddleware> middleware, String missing) {
        static final Chain EMPTY = new Chain(List.of(), null);
    }

    private final Object lock = new Object();
    private final List<RegisteredMiddleware> registrations = new ArrayList<>();
    private volatile Snapshot current = new Snapshot(Map.of());

    void add(RegisteredMiddleware middleware) {
        synchronized (lock) {
            registrations.add(middleware);
            publish();
        }
        LOG.info("middleware added: {}", middleware);
    }

    void remove(ActionMiddleware middleware) {
        synchronized (lock) {
            registrations.removeIf(r -> {
                if (r.middleware() == middleware) {
                    LOG.info("middleware removed: {}", r);
                    return true;
                }
                return false;
            });
            publish();
        }
    }

    /**
     * The middleware an action runs through: the global ones and the ones it names, in ascending priority; at equal
     * priority globals first, then the action's in the order it lists them (Actionhero runs globals, then the action's).
     */
    Chain chainFor(RegisteredAction action) {
        return current.chainFor(action.middleware());
    }

    /** Called with the lock held. When a name is registered twice, the later registration answers. */
    private void publish() {
        Map<String, RegisteredMiddleware> byName = new LinkedHashMap<>();
        registrations.stream()
                .sorted(Comparator.comparingLong(RegisteredMiddleware::order))
                .forEach(r -> byName.put(r.name(), r));
        current = new Snapshot(byName);
    }

    /** One state of the registry and the chains computed from it. */
    private static final class Snapshot {

        private final Map<String, RegisteredMiddleware> byName;
        private final List<RegisteredMiddleware> globals;
        private final Map<List<String>, Chain> chains = new ConcurrentHashMap<>();

        Snapshot(Map<String, RegisteredMiddleware> byName) {
            this.byName = Map.copyOf(byName);
            this.globals = byName.values().stream()
                    .filter(RegisteredMiddleware::global)
                    .sorted(Comparator.comparingInt(RegisteredMiddleware::priority).thenComparing(RegisteredMiddleware::name))
                    .toList();
        }

        Chain chainFor(List<String> names) {
            Chain chain = chains.get(names);
            return chain != null ? chain : chains.computeIfAbsent(names, this::compute);
        }

        private Chain compute(List<String> names) {
            List<RegisteredMiddleware> chain = new ArrayList<>(globals);
            for (String name : names) {
                RegisteredMiddleware m = byName.get(name);
                if (m == null) {
                    return new Chain(List.of(), name);
                }
                if (!chain.contains(m)) {
                    chain.add(m);
                }
            }
            if (chain.isEmpty()) {
                return Chain.EMPTY;
            }
            // List.sort is stable: equal priorities keep the order built above.
            chain.sort(Comparator.comparingInt(RegisteredMiddleware::priority));
            return new Chain(List.copyOf(chain), null);
        }
    }
}
