package io.herald.server.web.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.herald.api.spi.HeraldError;

/**
 * Puts decoded {@code name=value} pairs into params, expanding bracket names into nested objects and lists as
 * Actionhero's query parser ({@code qs}) does: {@code user[name]=x} gives {@code {"user": {"name": "x"}}},
 * {@code a[]=1&a[]=2} and {@code a[0]=1&a[1]=2} give {@code {"a": ["1", "2"]}}. Used for query strings, urlencoded
 * bodies and the fields of multipart bodies.
 *
 * <p>Limits, where qs silently drops or flattens: more than {@code maxFields} pairs in one request is refused with 422
 * {@code TOO_MANY_PARAMS} (qs's {@code parameterLimit}, 1000), a name with more than {@code maxDepth} brackets with 422
 * {@code PARAM_TOO_DEEP} (qs's {@code depth}, 5). An index above {@value #MAX_INDEX} is an object key, not a list
 * position (qs's {@code arrayLimit}, 20), so {@code a[999999999]=x} cannot allocate a huge list. A name that is both a
 * value and an object ({@code a=1&a[b]=2}) is refused with 400: qs would merge them in a way no client relies on.
 * A name whose brackets do not close ({@code a[b}) stays a flat name, as in qs.
 */
final class BracketParams {

    /** The largest list index kept as a position (qs's arrayLimit). */
    static final int MAX_INDEX = 20;

    private final Map<String, Object> params;
    private final boolean repeatedAsList;
    private final int maxFields;
    private final int maxDepth;
    private final String where;
    private int fields;

    /**
     * @param repeatedAsList true: a repeated name collects its values in a list (qs, for query strings); false: the
     *        last value wins (formidable without {@code multiples}, for form bodies)
     * @param where what is decoded, for error messages
     */
    BracketParams(Map<String, Object> params, boolean repeatedAsList, int maxFields, int maxDepth, String where) {
        this.params = params;
        this.repeatedAsList = repeatedAsList;
        this.maxFields = maxFields;
        this.maxDepth = maxDepth;
        this.where = where;
    }

    /**
     * The same params and count for the body: its repeated names keep their last value (formidable without
     * {@code multiples}), and the query's pairs count against the same maxFields.
     */
    BracketParams forBody(String bodyWhere) {
        BracketParams body = new BracketParams(params, false, maxFields, maxDepth, bodyWhere);
        body.fields = fields;
        return body;
    }

    /** Counts one more pair against maxFields. */
    void count() throws WebException {
        if (++fields > maxFields) {
            throw new WebException(HeraldError.TOO_MANY_PARAMS, maxFields);
        }
    }

    /** Adds one pair (after {@link #count()}); {@code value} is a string or an uploaded file. */
    void put(String name, Object value) throws WebException {
        List<String> path = path(name);
        if (path == null) {
            if (params.get(name) instanceof Map<?, ?>) {
                throw conflict(name);
            }
            putLeaf(params, name, value, repeatedAsList);
            return;
        }
        if (path.size() - 1 > maxDepth) {
            throw new WebException(HeraldError.PARAM_TOO_DEEP, path.get(0), maxDepth);
        }
        Object container = params;
        for (int i = 0; i < path.size() - 1; i++) {
            container = child(container, path.get(i), path.get(i + 1), name);
        }
        String last = path.get(path.size() - 1);
        if (container instanceof List<?>) {
            @SuppressWarnings("unchecked")
            List<Object> list = (List<Object>) container;
            int index = index(last);
            if (index < 0 || index >= list.size()) {
                list.add(value);
            } else if (repeatedAsList) {
                list.add(value);
            } else {
                list.set(index, value);
            }
        } else {
            @SuppressWarnings("unchecked")
            Map<String, Object> map = (Map<String, Object>) container;
            if (map.get(last) instanceof Map<?, ?> || (map.get(last) instanceof List<?> && !repeatedAsList)) {
                throw conflict(name);
            }
            putLeaf(map, last, value, repeatedAsList);
        }
    }

    /**
     * The container under {@code key} in {@code container}, created as a list when {@code next} is {@code []} or a
     * small index, else as an object.
     */
    @SuppressWarnings("unchecked")
    private Object child(Object container, String key, String next, String name) throws WebException {
        boolean wantsList = next.isEmpty() || index(next) >= 0;
        if (container instanceof List<?> raw) {
            List<Object> list = (List<Object>) raw;
            int index = index(key);
            Object existing = index >= 0 && index < list.size() ? list.get(index) : null;
            if (existing instanceof Map<?, ?> || existing instanceof List<?>) {
                return existing;
            }
            // a[][b]=1 or a[0][b]=1: each pair names a new element unless the index exists.
            Object created = wantsList ? new ArrayList<>() : new LinkedHashMap<String, Object>();
            list.add(created);
            return created;
        }
        Map<String, Object> map = (Map<String, Object>) container;
        Object existing = map.get(key);
        if (existing == null) {
            Object created = wantsList ? new ArrayList<>() : new LinkedHashMap<String, Object>();
            map.put(key, created);
            return created;
        }
        if (existing instanceof List<?> list && !wantsList) {
            // a[0]=x&a[b]=y: qs turns the list into an object keyed by index.
            Map<String, Object> converted = new LinkedHashMap<>();
            for (int i = 0; i < list.size(); i++) {
                converted.put(Integer.toString(i), list.get(i));
            }
            map.put(key, converted);
            return converted;
        }
        if (existing instanceof Map<?, ?> || existing instanceof List<?>) {
            return existing;
        }
        throw conflict(name);
    }

    private WebException conflict(String name) {
        return new WebException(HeraldError.MALFORMED_REQUEST, where + " gives " + name
                + " both as a value and as a nested object or list");
    }

    @SuppressWarnings("unchecked")
    private static void putLeaf(Map<String, Object> map, String name, Object value, boolean repeatedAsList) {
        Object previous = map.put(name, value);
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
        map.put(name, values);
    }

    /** A list position: digits, at most {@value #MAX_INDEX}; else -1. */
    private static int index(String key) {
        if (key.isEmpty() || key.length() > 2 || !key.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return -1;
        }
        int index = Integer.parseInt(key);
        return index <= MAX_INDEX ? index : -1;
    }

    /**
     * {@code a[b][]} to {@code [a, b, ""]}; {@code null} for a flat name (no bracket, an empty base, or brackets that
     * do not close, which qs keeps as they are).
     */
    static List<String> path(String name) {
        int open = name.indexOf('[');
        if (open <= 0 || name.charAt(name.length() - 1) != ']') {
            return null;
        }
        List<String> path = new ArrayList<>(4);
        path.add(name.substring(0, open));
        int at = open;
        while (at < name.length()) {
            if (name.charAt(at) != '[') {
                return null;
            }
            int close = name.indexOf(']', at);
            if (close < 0) {
                return null;
            }
            String key = name.substring(at + 1, close);
            if (key.indexOf('[') >= 0) {
                return null;
            }
            path.add(key);
            at = close + 1;
        }
        return path;
    }
}
