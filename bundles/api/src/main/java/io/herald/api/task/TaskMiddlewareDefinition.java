package io.herald.api.task;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.osgi.service.component.annotations.ComponentPropertyType;

/**
 * The metadata of a {@link TaskMiddleware} service. Its elements become service properties prefixed with
 * {@value #PREFIX_}.
 *
 * @since 1.0
 */
@ComponentPropertyType
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface TaskMiddlewareDefinition {

    String PREFIX_ = "herald.taskMiddleware.";

    /** Default priority, as Actionhero's {@code defaultMiddlewarePriority}. */
    int DEFAULT_PRIORITY = 100;

    /** The name tasks use to ask for it. */
    String name();

    /** Whether it runs around the jobs of every task. */
    boolean global() default false;

    /** Lower runs first. */
    int priority() default DEFAULT_PRIORITY;
}
