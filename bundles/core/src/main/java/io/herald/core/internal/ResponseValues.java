package io.herald.core.internal;

import java.util.Collection;
import java.util.Map;

import io.herald.core.json.HeraldJson;

/** Merges what an action returns into the response, as Actionhero's {@code Object.assign(response, returned)}. */
final class ResponseValues {

    private ResponseValues() {
    }

    /**
     * @param returned a {@code Map}, a record or a bean; {@code null} adds nothing
     * @throws IllegalStateException for a value that has no fields (a string, a number, a list)
     */
    static void merge(Object returned, Map<String, Object> response, String actionName) {
        if (returned == null) {
            return;
        }
        if (returned instanceof Map<?, ?> map) {
            map.forEach((k, v) -> response.put(String.valueOf(k), HeraldJson.plain(v)));
            return;
        }
        if (returned instanceof CharSequence || returned instanceof Number || returned instanceof Boolean
                || returned instanceof Collection || returned.getClass().isArray()) {
            throw new IllegalStateException("action " + actionName + " returned a " + returned.getClass().getSimpleName()
                    + "; return a Map, a record or a bean, whose fields become the response");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> fields = (Map<String, Object>) HeraldJson.plain(returned);
        response.putAll(fields);
    }
}
