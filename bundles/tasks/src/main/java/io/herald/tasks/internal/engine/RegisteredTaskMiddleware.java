package io.herald.tasks.internal.engine;

import java.util.Map;

import org.osgi.framework.Constants;

import io.herald.api.task.TaskMiddleware;
import io.herald.api.task.TaskMiddlewareDefinition;
import io.herald.core.properties.ServiceProperties;

/** One task middleware as registered, with its metadata read from the {@code herald.taskMiddleware.*} properties. */
record RegisteredTaskMiddleware(TaskMiddleware middleware, String name, boolean global, int priority, int ranking,
        long order) {

    /** @throws IllegalArgumentException when the metadata is unusable; the message says why */
    static RegisteredTaskMiddleware of(TaskMiddleware middleware, Map<String, ?> properties, long order) {
        String prefix = TaskMiddlewareDefinition.PREFIX_;
        String name = ServiceProperties.string(properties, prefix + "name", null);
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("task middleware " + middleware.getClass().getName() + " has no " + prefix
                    + "name property: annotate it with @TaskMiddlewareDefinition");
        }
        return new RegisteredTaskMiddleware(middleware, name.trim(),
                ServiceProperties.bool(properties, prefix + "global", false),
                ServiceProperties.integer(properties, prefix + "priority", TaskMiddlewareDefinition.DEFAULT_PRIORITY),
                ServiceProperties.integer(properties, Constants.SERVICE_RANKING, 0), order);
    }

    @Override
    public String toString() {
        return name + (global ? " (global" : " (") + ", priority " + priority + ", " + middleware.getClass().getName() + ")";
    }
}
