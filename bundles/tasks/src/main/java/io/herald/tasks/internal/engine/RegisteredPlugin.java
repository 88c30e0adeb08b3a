package io.herald.tasks.internal.engine;

import java.util.Map;

import org.osgi.framework.Constants;

import io.herald.api.task.TaskPlugin;
import io.herald.api.task.TaskPluginDefinition;
import io.herald.core.properties.ServiceProperties;

/** One {@link TaskPlugin} service as registered, named by its {@value TaskPluginDefinition#PROPERTY} property. */
record RegisteredPlugin(TaskPlugin plugin, String name, int ranking, long order) {


    /** @throws IllegalArgumentException when the service carries no name */
    static RegisteredPlugin of(TaskPlugin plugin, Map<String, ?> properties, long order) {
        String name = ServiceProperties.string(properties, TaskPluginDefinition.PROPERTY, null);
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("task plugin " + plugin.getClass().getName() + " has no "
                    + TaskPluginDefinition.PROPERTY + " property: annotate it with @TaskPluginDefinition(name = \"<name>\")");
        }
        return new RegisteredPlugin(plugin, name.trim(), ServiceProperties.integer(properties, Constants.SERVICE_RANKING, 0),
                order);
    }

    @Override
    public String toString() {
        return name + " (" + plugin.getClass().getName() + ")";
    }
}
