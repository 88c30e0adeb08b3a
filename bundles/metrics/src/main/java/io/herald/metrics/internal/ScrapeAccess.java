package io.herald.metrics.internal;

import java.util.Map;

import io.herald.api.Caller;
import io.herald.api.Connection;
import io.herald.api.RequestMetadata;
import io.herald.api.spi.AuthenticationException;
import io.herald.api.spi.Authenticator;
import io.herald.api.spi.HeraldError;
import io.herald.api.spi.Messages;

/**
 * Who may read the metrics, decided as the core decides for an action that declares {@code roles = {<role>}}: the
 * authentication bundle's {@link Authenticator} establishes the caller (an API key, a JWT, a session), and the caller
 * needs the configured role. The answers are the core's, worded by the message catalogue: 401 without credentials or
 * with invalid ones ({@code WWW-Authenticate: Bearer}), 429 after too many failures, 403 without the role.
 *
 * <p>While no authenticator runs (no authentication bundle, or {@code ENABLE_AUTHENTICATION=false}) the endpoint is
 * open, for a node whose metrics are reachable only from a private network; with {@code requireAuthentication} it
 * answers 503 then, as a protected action does.
 */
final class ScrapeAccess {

    /** A refusal: the status, the error for the client, and the headers to add. */
    record Refusal(int status, String error, Map<String, String> headers) {
    }

    private final String role;
    private final boolean requireAuthentication;

    ScrapeAccess(String role, boolean requireAuthentication) {
        this.role = role;
        this.requireAuthentication = requireAuthentication;
    }

    /** @return the refusal, or {@code null} when the request may read the metrics */
    Refusal check(Authenticator authenticator, Messages messages, RequestMetadata request, Connection connection) {
        if (authenticator == null) {
            return requireAuthentication ? refuse(messages, HeraldError.AUTHENTICATION_UNAVAILABLE) : null;
        }
        Caller caller;
        try {
            caller = authenticator.authenticate(request, connection);
        } catch (AuthenticationException e) {
            return refuse(messages, e.error(), e.args());
        }
        if (caller == null) {
            return refuse(messages, HeraldError.AUTHENTICATION_REQUIRED);
        }
        if (!caller.hasRole(role)) {
            return refuse(messages, HeraldError.ROLE_REQUIRED, role);
        }
        return null;
    }

    private static Refusal refuse(Messages messages, HeraldError error, Object... args) {
        String text = messages.format(error, args);
        if (error.status() == 401) {
            // RFC 9110: a 401 names the scheme that would be accepted (the core's answer for actions)
            return new Refusal(401, text, Map.of("WWW-Authenticate", "Bearer realm=\"herald\""));
        }
        if (error.status() == 429 && args.length > 0) {
            return new Refusal(429, text, Map.of("Retry-After", String.valueOf(args[0])));
        }
        return new Refusal(error.status(), text, Map.of());
    }
}
