package io.herald.api;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The declared params of an action, in declaration order.
 *
 * @since 1.0
 */
public final class Inputs {

    private static final Inputs NONE = new Inputs(Map.of());

    private final Map<String, Input> byName;

    private Inputs(Map<String, Input> byName) {
        this.byName = byName;
    }

    public static Inputs none() {
        return NONE;
    }

    /** @throws IllegalArgumentException when two inputs share a name */
    public static Inputs of(Input... inputs) {
        Map<String, Input> byName = new LinkedHashMap<>();
        for (Input input : inputs) {
            if (byName.putIfAbsent(input.name(), input) != null) {
                throw new IllegalArgumentException("input \"" + input.name() + "\" is declared twice");
            }
        }
        return new Inputs(Collections.unmodifiableMap(byName));
    }

    public Collection<Input> all() {
        return byName.values();
    }

    /** The input of that name, or {@code null}. */
    public Input get(String name) {
        return byName.get(name);
    }

    public boolean declares(String name) {
        return byName.containsKey(name);
    }

    public boolean isEmpty() {
        return byName.isEmpty();
    }

    @Override
    public String toString() {
        return byName.values().toString();
    }
}
