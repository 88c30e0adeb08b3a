package io.herald.api;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** {@link RequestMetadata} over copies of maps; header names are kept lower case. */
final class MapRequestMetadata implements RequestMetadata {

    static final MapRequestMetadata NONE = new MapRequestMetadata(Map.of(), Map.of(), false);

    private final Map<String, List<String>> headers;
    private final Map<String, String> cookies;
    private final boolean secure;

    MapRequestMetadata(Map<String, List<String>> headers, Map<String, String> cookies, boolean secure) {
        Map<String, List<String>> lower = new LinkedHashMap<>();
        headers.forEach((name, values) -> lower.merge(name.toLowerCase(Locale.ROOT), List.copyOf(values), (a, b) -> {
            List<String> both = new java.util.ArrayList<>(a);
            both.addAll(b);
            return List.copyOf(both);
        }));
        this.headers = Map.copyOf(lower);
        this.cookies = Map.copyOf(cookies);
        this.secure = secure;
    }

    @Override
    public String header(String name) {
        List<String> values = headers(name);
        return values.isEmpty() ? null : values.get(0);
    }

    @Override
    public List<String> headers(String name) {
        return headers.getOrDefault(name.toLowerCase(Locale.ROOT), List.of());
    }

    @Override
    public String cookie(String name) {
        return cookies.get(name);
    }

    @Override
    public Map<String, String> cookies() {
        return cookies;
    }

    @Override
    public boolean secure() {
        return secure;
    }
}
