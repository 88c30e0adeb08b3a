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
 * The action middleware currently registered, and the chain each action runs through. Chains are computed once per
 * action and forgotten whenever middleware comes or goes.
 */
final class MiddlewareRegistry {

    private static final Logger LOG = LoggerFactory.getLogger(MiddlewareRegistry.class);

    /** The chain of an action, or the name of a middleware it needs that is not registered. */
    record Chain(List<RegisteredMiddleware> middleware, String missing) {
        static final Chain EMPTY = new Chain(List.of(), null);
    }

    private final Object lock = new Object();
    private final List<RegisteredMiddleware> registrations = new ArrayList<>();
    private volatile Map<String, RegisteredMiddleware> byName = Map.of();
    private final Map<RegisteredAction, Chain> chains = new ConcurrentHashMap<>();

    void add(RegisteredMiddleware middleware) {
        synchronized (lock) {
            registrations.add(middleware);
            rebuild();
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
            rebuild();
        }
    }

    /**
     * The middleware an action runs through: the global ones and the ones it names, in ascending priority; at equal
     * priority globals first, then the action's in the order it lists them (Actionhero runs globals, then the action's).
     */
    Chain chainFor(RegisteredAction action) {
        Chain chain = chains.get(action);
        if (chain == null) {
            chain = compute(action);
            chains.put(action, chain);
        }
        return chain;
    }

    private Chain compute(RegisteredAction action) {
        Map<String, RegisteredMiddleware> current = byName;
        List<RegisteredMiddleware> chain = new ArrayList<>();
        current.values().stream()
                .filter(RegisteredMiddleware::global)
                .sorted(Comparator.comparingInt(RegisteredMiddleware::priority).thenComparing(RegisteredMiddleware::name))
                .forEach(chain::add);
        for (String name : action.middleware()) {
            RegisteredMiddleware m = current.get(name);
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

    private void rebuild() {
        Map<String, RegisteredMiddleware> next = new LinkedHashMap<>();
        registrations.stream()
                .sorted(Comparator.comparingLong(RegisteredMiddleware::order))
                .forEach(r -> next.put(r.name(), r));
        byName = next;
        chains.clear();
    }
}
