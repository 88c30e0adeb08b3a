package io.herald.api.cluster;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.osgi.annotation.bundle.Requirement;
import org.osgi.service.component.annotations.ComponentPropertyType;

/**
 * Names the cluster method a {@link ClusterCallHandler} serves. Put it next to {@code @Component}: being a
 * single-element component property type, it becomes the service property {@value #PROPERTY}.
 *
 * <p>It also requires the Herald core, which runs the bus, so a resolver installing a handler bundle brings the core.
 *
 * @since 1.0
 */
@ComponentPropertyType
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@Requirement(namespace = "osgi.implementation", name = "io.herald.core", version = "1.0.0")
public @interface ClusterMethod {

    /** Prefix of the service property (DS names a single-element property type's property after the type). */
    String PREFIX_ = "herald.";

    /** The service property carrying the method name. */
    String PROPERTY = "herald.cluster.method";

    /** The method name, as callers pass it to {@link ClusterBus#callAll}. */
    String value();
}
