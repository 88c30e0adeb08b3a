package io.herald.tasks.internal.plugins;

import java.lang.reflect.Array;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/** Reads node-resque plugin options given as Java values or as strings (from configuration). */
final class PluginOptions {

    private PluginOptions() {
    }

    static long number(Map<String, Object> options, String key, long fallback) {
        Object value = options.get(key);
        if (value instanceof Number n) {
            return n.longValue();
        }
        if (value instanceof String text && !text.isBlank()) {
            try {
                return Long.parseLong(text.trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("plugin option " + key + " must be a whole number, was \"" + text
                        + "\"");
            }
        }
        return fallback;
    }

    /** node-resque treats a falsy option (missing, 0) as "use the default". */
    static long positive(Map<String, Object> options, String key, long fallback) {
        long value = number(options, key, 0);
        return value > 0 ? value : fallback;
    }

    static String text(Map<String, Object> options, String key) {
        Object value = options.get(key);
        return value == null || value.toString().isEmpty() ? null : value.toString();
    }

    /** A list of numbers from a list, an array, or a comma-separated string; empty when absent. */
    static List<Long> numbers(Map<String, Object> options, String key) {
        Object value = options.get(key);
        List<Object> items = new ArrayList<>();
        if (value == null) {
            return List.of();
        } else if (value instanceof Collection<?> values) {
            items.addAll(values);
        } else if (value.getClass().isArray()) {
            for (int i = 0; i < Array.getLength(value); i++) {
                items.add(Array.get(value, i));
            }
        } else {
            for (String part : value.toString().split(",")) {
                if (!part.isBlank()) {
                    items.add(part.trim());
                }
            }
        }
        List<Long> numbers = new ArrayList<>(items.size());
        for (Object item : items) {
            if (item instanceof Number n) {
                numbers.add(n.longValue());
            } else {
                try {
                    numbers.add(Long.parseLong(String.valueOf(item).trim()));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("plugin option " + key + " must list whole numbers, was " + value);
                }
            }
        }
        return List.copyOf(numbers);
    }
}
