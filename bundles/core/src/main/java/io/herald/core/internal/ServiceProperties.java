package io.herald.core.internal;

import java.lang.reflect.Array;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Reads typed values from service properties. Values may arrive as their own type (from DS component property types)
 * or as strings (from configuration files), and multi-valued ones as arrays, collections or a single value.
 */
final class ServiceProperties {

    private ServiceProperties() {
    }

    static String string(Map<String, Object> properties, String key, String fallback) {
        Object value = properties.get(key);
        return value == null ? fallback : value.toString();
    }

    static int integer(Map<String, Object> properties, String key, int fallback) {
        Object value = properties.get(key);
        if (value == null) {
            return fallback;
        }
        if (value instanceof Number n) {
            return n.intValue();
        }
        try {
            return Integer.parseInt(value.toString().trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be an integer, was \"" + value + "\"");
        }
    }

    static boolean bool(Map<String, Object> properties, String key, boolean fallback) {
        Object value = properties.get(key);
        if (value == null) {
            return fallback;
        }
        if (value instanceof Boolean b) {
            return b;
        }
        return Boolean.parseBoolean(value.toString().trim());
    }

    static List<String> strings(Map<String, Object> properties, String key) {
        Object value = properties.get(key);
        List<String> result = new ArrayList<>();
        if (value == null) {
            return List.of();
        } else if (value.getClass().isArray()) {
            // A .cfg file gives "a, b" as one string, even for an array attribute: split each element too.
            for (int i = 0; i < Array.getLength(value); i++) {
                Object element = Array.get(value, i);
                for (String part : String.valueOf(element).split(",")) {
                    add(result, part);
                }
            }
        } else if (value instanceof Collection<?> values) {
            values.forEach(v -> add(result, v));
        } else {
            for (String part : value.toString().split(",")) {
                add(result, part);
            }
        }
        return List.copyOf(result);
    }

    private static void add(List<String> into, Object value) {
        if (value != null && !value.toString().isBlank()) {
            into.add(value.toString().trim());
        }
    }
}
