package io.herald.core.internal;

import java.util.Map;

import io.herald.api.ActionMiddleware;
import io.herald.api.MiddlewareDefinition;
import io.herald.core.properties.ServiceProperties;

/** One middleware as registered, with its metadata read from the {@code herald.middleware.*} service properties. */
record RegisteredMiddleware(ActionMiddleware middleware, String name, boolean global, int priority, long order) {

    /** @throws IllegalArgumentException when the metadata is unusable; the message says why */
    static RegisteredMiddleware of(ActionMiddleware middleware, Map<String, Object> properties, long order) {
        String name = ServiceProperties.string(properties, "herald.middleware.name", null);
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("middleware " + middleware.getClass().getName()
                    + " has no herald.middleware.name property: annotate it with @MiddlewareDefinition");
        }
        return new RegisteredMiddleware(middleware, name,
                ServiceProperties.bool(properties, "herald.middleware.global", false),
                ServiceProperties.integer(properties, "herald.middleware.priority", MiddlewareDefinition.DEFAULT_PRIORITY),
                order);
    }

    @Override
    public String toString() {
        return name + (global ? " (global" : " (") + ", priority " + priority + ", " + middleware.getClass().getName() + ")";
    }
}
