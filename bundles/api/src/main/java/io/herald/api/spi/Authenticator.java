package io.herald.api.spi;

import io.herald.api.Caller;
import io.herald.api.Connection;
import io.herald.api.RequestMetadata;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Establishes who makes a call, from the credentials the request carries. The core calls it before any middleware,
 * then enforces the action's {@link io.herald.api.ActionDefinition#authenticated()} and
 * {@link io.herald.api.ActionDefinition#roles()} itself: while no authenticator runs, protected actions are refused,
 * never run anonymously. With several registered, the one of highest service ranking answers.
 *
 * @since 1.4
 */
@ConsumerType
public interface Authenticator {

    /**
     * @return the caller, or {@code null} when the request carries no credentials (an anonymous call)
     * @throws AuthenticationException when it carries credentials that are not valid, or too many such attempts came
     *     from its address; the call is refused with the exception's error, whatever the action
     */
    Caller authenticate(RequestMetadata request, Connection connection) throws AuthenticationException;
}
