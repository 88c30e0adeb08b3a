package io.herald.api;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Turns a present param into the value the action sees, for example {@code "42"} into {@code 42}. Throwing fails the
 * call with 422 and the exception's message (Actionhero's formatter semantics).
 *
 * @see Formatters
 * @since 1.0
 */
@ConsumerType
@FunctionalInterface
public interface Formatter {

    Object format(Object value) throws Exception;
}
