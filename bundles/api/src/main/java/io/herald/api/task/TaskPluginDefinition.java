package io.herald.api.task;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.osgi.service.component.annotations.ComponentPropertyType;

/**
 * The metadata of a {@link TaskPlugin} service: its name, as tasks list it in {@link TaskDefinition#plugins()}. Its
 * element becomes the service property {@value #PROPERTY}.
 *
 * @since 1.0
 */
@ComponentPropertyType
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface TaskPluginDefinition {

    String PREFIX_ = "herald.taskPlugin.";

    /** The service property carrying the plugin's name. */
    String PROPERTY = "herald.taskPlugin.name";

    /** The name tasks use to ask for it. */
    String name();
}
