package io.herald.middleware.auth.internal;

import java.util.List;
import java.util.Locale;

import io.herald.api.Caller;
import io.herald.api.Connection;
import io.herald.api.RequestMetadata;
import io.herald.api.spi.AuthenticationException;
import io.herald.api.spi.Authenticator;
import io.herald.api.spi.HeraldError;
import io.herald.middleware.auth.Sessions;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Establishes the caller from a JWT ({@code Authorization: Bearer <token>}) or an API key (the same header or
 * {@code X-API-Key: <secret>}), else from the session cookie. A request without any is anonymous, and so is one whose
 * session is unknown or expired (a browser with a stale cookie still reaches public actions). A key that is
 * malformed, unknown or ambiguous (two of them) is refused with the same {@code invalid credentials}, whatever the reason, and the
 * reason goes to the log without the secret. Failures count against the remote address ({@link FailedAttempts}).
 */
final class CredentialAuthenticator implements Authenticator {

    private static final Logger LOG = LoggerFactory.getLogger("io.herald.auth");

    /** Longer credentials are refused before any work: no key or token of ours is this long. */
    static final int MAX_CREDENTIAL_LENGTH = 4096;

    private static final String BEARER = "bearer ";

    private final ApiKeys keys;
    private final JwtVerifier tokens;
    private final SessionStore sessions;
    private final FailedAttempts failures;

    /** @param tokens the JWT verifier, or {@code null} when no JWT key is configured */
    CredentialAuthenticator(ApiKeys keys, JwtVerifier tokens, SessionStore sessions, FailedAttempts failures) {
        this.keys = keys;
        this.tokens = tokens;
        this.sessions = sessions;
        this.failures = failures;
    }

    @Override
    public Caller authenticate(RequestMetadata request, Connection connection) throws AuthenticationException {
        List<String> authorization = request.headers("Authorization");
        List<String> apiKey = request.headers("X-API-Key");
        if (authorization.isEmpty() && apiKey.isEmpty()) {
            String session = request.cookie(Sessions.COOKIE);
            return session == null ? null : sessions.find(session);
        }
        String address = connection.remoteIp();
        long wait = failures.blockedSeconds(address);
        if (wait > 0) {
            throw new AuthenticationException(HeraldError.TOO_MANY_FAILED_AUTHENTICATIONS, wait);
        }
        if (authorization.size() + apiKey.size() > 1) {
            throw refuse(connection, "more than one credential (Authorization and X-API-Key headers)");
        }
        String secret;
        if (!authorization.isEmpty()) {
            String value = authorization.get(0).trim();
            if (value.length() <= BEARER.length() || !value.substring(0, BEARER.length()).toLowerCase(Locale.ROOT).equals(BEARER)) {
                throw refuse(connection, "an Authorization header that is not 'Bearer <key>'");
            }
            secret = value.substring(BEARER.length()).trim();
            if (tokens != null && JwtVerifier.looksLikeJwt(secret) && secret.length() <= MAX_CREDENTIAL_LENGTH) {
                try {
                    return tokens.verify(secret);
                } catch (JwtVerifier.InvalidTokenException e) {
                    throw refuse(connection, e.getMessage());
                }
            }
        } else {
            secret = apiKey.get(0).trim();
        }
        if (secret.isEmpty() || secret.length() > MAX_CREDENTIAL_LENGTH
                || !secret.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            throw refuse(connection, "a malformed credential (" + secret.length() + " characters)");
        }
        Caller caller = keys.match(secret);
        if (caller == null) {
            throw refuse(connection, "an unknown API key");
        }
        return caller;
    }

    private AuthenticationException refuse(Connection connection, String reason) {
        String address = connection.remoteIp();
        boolean limitReached = failures.fail(address);
        LOG.warn("authentication failed from {} ({} connection): {}", address, connection.type(), reason);
        if (limitReached) {
            LOG.warn("{} reached the limit of failed authentications: refused until its window ends", address);
        }
        return new AuthenticationException(HeraldError.INVALID_CREDENTIALS);
    }
}
