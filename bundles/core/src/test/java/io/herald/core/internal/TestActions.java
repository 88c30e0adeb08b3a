package io.herald.core.internal;

import java.util.LinkedHashMap;
import java.util.Map;

import io.herald.api.Action;
import io.herald.api.Connection;
import io.herald.api.spi.ActionRequest;
import io.herald.api.spi.TransportConnection;

/** Helpers for building actions and calls in processor tests. */
final class TestActions {

    private TestActions() {
    }

    static Map<String, Object> props(String name, int version, Object... more) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("herald.action.name", name);
        p.put("herald.action.version", version);
        for (int i = 0; i < more.length; i += 2) {
            p.put((String) more[i], more[i + 1]);
        }
        return p;
    }

    static Map<String, Object> middlewareProps(String name, boolean global, int priority) {
        return Map.of("herald.middleware.name", name, "herald.middleware.global", global,
                "herald.middleware.priority", priority);
    }

    static TransportConnection connection(String type) {
        return new TransportConnection("c-" + type, type, "127.0.0.1", 40000, "fp");
    }

    static ActionRequest call(String action, Object... params) {
        return call(connection(Connection.WEB), action, params);
    }

    static ActionRequest call(Connection connection, String action, Object... params) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < params.length; i += 2) {
            map.put((String) params[i], params[i + 1]);
        }
        return ActionRequest.of(action, map, connection);
    }

    static Action returning(Map<String, Object> fields) {
        return context -> fields;
    }
}
