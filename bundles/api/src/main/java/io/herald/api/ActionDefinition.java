package io.herald.api;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.osgi.annotation.bundle.Requirement;
import org.osgi.service.component.annotations.ComponentPropertyType;

/**
 * The metadata of an {@link Action}. Put it next to {@code @Component}: its elements become service properties
 * prefixed with {@value #PREFIX_}, which is how the core finds and describes the action without loading it.
 *
 * <p>It also requires the Herald core, so a resolver that installs an action bundle pulls the core in with it.
 *
 * @since 1.0
 */
@ComponentPropertyType
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@Requirement(namespace = "osgi.implementation", name = "io.herald.core", version = "1.0.0")
public @interface ActionDefinition {

    /** Prefix of the service properties generated from this annotation. */
    String PREFIX_ = "herald.action.";

    /** The action's name, as called: {@code /api/<name>}. Unique per version. */
    String name();

    /** Shown in the OpenAPI document. Defaults to the name. */
    String description() default "";

    /**
     * The version. Several versions of one action live side by side; the highest answers unless the
     * {@code apiVersion} param or the route names another.
     */
    int version() default 1;

    /** Names of the middleware this action uses, in addition to the global middleware. */
    String[] middleware() default {};

    /** Connection types ({@code web}, {@code websocket}, {@code tcp}, ...) that may not call this action. */
    String[] blockedConnectionTypes() default {};

    /** Level of the line logged when the action completes: {@code trace}, {@code debug}, {@code info}, {@code warn}. */
    String logLevel() default "info";

    /** Whether the action appears in the OpenAPI document. */
    boolean toDocument() default true;

    /**
     * Whether transports may add their metadata ({@code serverInformation}, {@code requesterInformation}) to the
     * response. False for actions whose response is a complete document of its own, such as an OpenAPI document.
     */
    boolean responseMetadata() default true;

    /**
     * Whether only an authenticated caller may run it. The core refuses an anonymous call with 401, and refuses every
     * call with 503 while no authentication runs on the node: a protected action never runs anonymously.
     *
     * @since 1.1
     */
    boolean authenticated() default false;

    /**
     * Roles a caller must all have to run it (implies {@link #authenticated()}): 401 without credentials, 403 without
     * the roles.
     *
     * @since 1.1
     */
    String[] roles() default {};

    /**
     * Whether params the action does not declare are removed before it runs (Actionhero's param scrubbing; the core's
     * {@code disableParamScrubbing} setting turns it off for every action). {@code false} keeps them for this action
     * only: one that takes free-form params, such as a webhook receiver.
     *
     * @since 1.1
     */
    boolean scrubParams() default true;

    /** An example response, as JSON. Documentation only. */
    String outputExample() default "";
}
