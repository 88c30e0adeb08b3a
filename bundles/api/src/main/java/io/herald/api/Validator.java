package io.herald.api;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Checks a present param, with Actionhero's semantics for what it returns:
 * <ul>
 * <li>{@code null} or {@code true}: the param is valid;</li>
 * <li>{@code false}: invalid, with the message {@code Input for parameter "<name>" failed validation!};</li>
 * <li>anything else (typically a {@code String}): invalid, with that as the message;</li>
 * <li>throwing: invalid, with the exception's message.</li>
 * </ul>
 * So {@code v -> v.toString().length() <= 10} and {@code v -> isEmail(v) ? null : "not an email"} both work.
 *
 * @since 1.0
 */
@ConsumerType
@FunctionalInterface
public interface Validator {

    Object validate(Object value) throws Exception;
}
