package io.herald.tasks.internal.engine;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * Turns params into the plain values a job payload holds (maps, lists, strings, numbers, booleans, null), keeping map
 * order: the payload's bytes, and so {@code del}/{@code delDelayed}/the lock keys, depend on it. Other values (records,
 * beans, dates from a formatter) are converted as Jackson writes them; what Jackson cannot write becomes its
 * {@code toString()}.
 */
public final class JsonValues {

    static final ObjectMapper MAPPER = JsonMapper.builder().findAndAddModules().build();

    private JsonValues() {
    }

    /** A plain, mutable copy of {@code params} in their order; {@code null} gives an empty map. */
    public static Map<String, Object> params(Map<String, ?> params) {
        Map<String, Object> copy = new LinkedHashMap<>();
        if (params != null) {
            params.forEach((key, value) -> copy.put(key, plain(value)));
        }
        return copy;
    }

    static Object plain(Object value) {
        if (value == null || value instanceof String || value instanceof Boolean || value instanceof Number) {
            return value;
        }
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> copy = new LinkedHashMap<>();
            map.forEach((key, item) -> copy.put(String.valueOf(key), plain(item)));
            return copy;
        }
        if (value instanceof Collection<?> items) {
            List<Object> copy = new ArrayList<>(items.size());
            items.forEach(item -> copy.add(plain(item)));
            return copy;
        }
        if (value instanceof CharSequence || value instanceof Character || value instanceof Enum<?>) {
            return value.toString();
        }
        try {
            return plain(MAPPER.convertValue(value, Object.class));
        } catch (IllegalArgumentException e) {
            return value.toString();
        }
    }
}
