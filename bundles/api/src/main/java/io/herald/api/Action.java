package io.herald.api;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * One request/response unit, served the same way over every transport.
 *
 * <p>Register an implementation as a service with an {@link ActionDefinition} carrying its metadata:
 *
 * <pre>{@code
 * @Component
 * @ActionDefinition(name = "echo", description = "I echo a message")
 * public class Echo implements Action {
 *     public Inputs inputs() {
 *         return Inputs.of(Input.required("message"));
 *     }
 *
 *     public Object run(ActionContext context) {
 *         return Map.of("message", context.param("message"));
 *     }
 * }
 * }</pre>
 *
 * <p>As in Actionhero, what {@link #run} returns (a {@code Map}, a record or a bean) is merged into the response
 * object. Errors are thrown, never written: throw an {@link ActionException} to choose the status and the message
 * the client sees; any other exception becomes a 500.
 *
 * @since 1.0
 */
@ConsumerType
@FunctionalInterface
public interface Action {

    /**
     * Runs the action. Params are already defaulted, formatted, validated and scrubbed of undeclared keys.
     *
     * @return the fields to merge into the response, or {@code null} for none
     */
    Object run(ActionContext context) throws Exception;

    /** The params this action accepts. Undeclared params are removed before {@link #run} (Actionhero's scrubbing). */
    default Inputs inputs() {
        return Inputs.none();
    }
}
