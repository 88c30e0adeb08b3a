package io.herald.api.task;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.osgi.service.component.annotations.ComponentPropertyType;

/**
 * The name of a {@link TaskPlugin} service, as tasks list it in {@link TaskDefinition#plugins()}. Being a
 * single-element component property type, it becomes the service property {@value #PROPERTY}.
 *
 * @since 1.0
 */
@ComponentPropertyType
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface TaskPluginDefinition {

    String PREFIX_ = "herald.";

    /** The service property carrying the plugin's name. */
    String PROPERTY = "herald.task.plugin";

    String value();
}
