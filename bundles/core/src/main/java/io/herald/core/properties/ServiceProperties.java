package io.herald.core.properties;

import java.lang.reflect.Array;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Reads typed values from service properties. Values may arrive as their own type (from DS component property types)
 * or as strings (from configuration files), and multi-valued ones as arrays, collections or a single value: the rules
 * of {@code herald.action.*}, {@code herald.task.*} and every component's configuration.
 */
public final class ServiceProperties {

    private ServiceProperties() {
    }

    public static String string(Map<String, ?> properties, String key, String fallback) {
        Object value = properties.get(key);
        return value == null ? fallback : value.toString();
    }

    public static int integer(Map<String, ?> properties, String key, int fallback) {
        long value = longValue(properties, key, fallback);
        if (value < Integer.MIN_VALUE || value > Integer.MAX_VALUE) {
            throw new InvalidPropertyException(key, key + " must be an integer, was \"" + value + "\"");
        }
        return (int) value;
    }

    public static long longValue(Map<String, ?> properties, String key, long fallback) {
        Object value = properties.get(key);
        if (value == null) {
            return fallback;
        }
        if (value instanceof Number n) {
            return n.longValue();
        }
        String text = value.toString().trim();
        if (text.isEmpty()) {
            return fallback;
        }
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new InvalidPropertyException(key, key + " must be a whole number, was \"" + value + "\"");
        }
    }

    /**
     * A boolean: {@code true}, {@code false}, {@code yes}, {@code no}, {@code 1} or {@code 0} in any case (the
     * launcher's rule for boolean config values); empty or absent gives {@code fallback}. Anything else is an error,
     * never a silent {@code false} ({@link Boolean#parseBoolean} would take {@code SCHEDULER=on} as false).
     *
     * @throws InvalidPropertyException naming the key, the value and what is accepted
     */
    public static boolean bool(Map<String, ?> properties, String key, boolean fallback) {
        Object value = properties.get(key);
        if (value == null) {
            return fallback;
        }
        if (value instanceof Boolean b) {
            return b;
        }
        String text = value.toString().trim();
        switch (text.toLowerCase(java.util.Locale.ROOT)) {
            case "" -> {
                return fallback;
            }
            case "true", "yes", "1" -> {
                return true;
            }
            case "false", "no", "0" -> {
                return false;
            }
            default -> throw new InvalidPropertyException(key, key + " must be true, false, yes, no, 1 or 0 (any case),"
                    + " was \"" + value + "\"");
        }
    }

    public static List<String> strings(Map<String, ?> properties, String key) {
        Object value = properties.get(key);
        List<String> result = new ArrayList<>();
        if (value == null) {
            return List.of();
        } else if (value.getClass().isArray()) {
            // A .cfg file gives "a, b" as one string, even for an array attribute: split each element too.
            for (int i = 0; i < Array.getLength(value); i++) {
                for (String part : String.valueOf(Array.get(value, i)).split(",")) {
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

    /**
     * A service's {@code service.ranking}: 0 when absent or not an {@code Integer} (the OSGi rule).
     *
     * @since 1.1
     */
    public static int ranking(Map<String, ?> properties) {
        return properties.get("service.ranking") instanceof Integer ranking ? ranking : 0;
    }

    /**
     * A service's {@code service.id}, the order it was registered in: among services of equal ranking, the lowest
     * answers. 0 when absent (outside OSGi).
     *
     * @since 1.1
     */
    public static long serviceId(Map<String, ?> properties) {
        return properties.get("service.id") instanceof Number id ? id.longValue() : 0L;
    }

    private static void add(List<String> into, Object value) {
        if (value != null && !value.toString().isBlank()) {
            into.add(value.toString().trim());
        }
    }
}
