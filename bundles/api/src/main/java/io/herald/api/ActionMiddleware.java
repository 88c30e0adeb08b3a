package io.herald.api;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Code that runs around actions: authentication, rate limits, auditing, response decoration.
 *
 * <p>Register an implementation as a service with a {@link MiddlewareDefinition}. Global middleware runs around every
 * action; other middleware runs around the actions that name it in {@link ActionDefinition#middleware()}. All the
 * middleware of a call runs in ascending {@link MiddlewareDefinition#priority() priority}; at equal priority, global
 * before per-action, then in the order the action lists them (Actionhero's order).
 *
 * <p>Pre-processors run before params are validated and see every param the client sent. A pre-processor ends the call
 * by throwing an {@link ActionException}, or skips the action with {@link ActionInvocation#skipAction()} while keeping
 * the response it built. Post-processors run after the action succeeded.
 *
 * @since 1.0
 */
@ConsumerType
public interface ActionMiddleware {

    default void preProcess(ActionInvocation invocation) throws Exception {
    }

    default void postProcess(ActionInvocation invocation) throws Exception {
    }
}
