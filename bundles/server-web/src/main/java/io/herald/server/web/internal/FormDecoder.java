package io.herald.server.web.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Decodes {@code a=1&b=two} (query strings and {@code application/x-www-form-urlencoded} bodies) into params.
 * Nested keys ({@code a[b]=c}, which Actionhero's qs parser expands) are kept as flat names.
 */
final class FormDecoder {

    private FormDecoder() {
    }

    /**
     * @param repeatedAsList true: a repeated key collects its values in a list (Actionhero's qs, for query strings);
     *        false: the last value wins (Actionhero's formidable without {@code multiples}, for form bodies)
     * @param where what is decoded, for the error message
     */
    static void decodeInto(String encoded, Map<String, Object> params, boolean repeatedAsList, String where)
            throws WebException {
        int length = encoded.length();
        int start = 0;
        while (start <= length) {
            int end = encoded.indexOf('&', start);
            if (end < 0) {
                end = length;
            }
            if (end > start) {
                int equals = encoded.indexOf('=', start);
                if (equals < 0 || equals > end) {
                    equals = end;
                }
                String name = PercentDecoder.decode(encoded, start, equals, true, where);
                if (!name.isEmpty()) {
                    String value = equals < end ? PercentDecoder.decode(encoded, equals + 1, end, true, where) : "";
                    put(params, name, value, repeatedAsList);
                }
            }
            start = end + 1;
        }
    }

    @SuppressWarnings("unchecked")
    private static void put(Map<String, Object> params, String name, String value, boolean repeatedAsList) {
        Object previous = params.put(name, value);
        if (previous == null || !repeatedAsList) {
            return;
        }
        List<Object> values;
        if (previous instanceof List<?> list) {
            values = (List<Object>) list;
        } else {
            values = new ArrayList<>(4);
            values.add(previous);
        }
        values.add(value);
        params.put(name, values);
    }
}
