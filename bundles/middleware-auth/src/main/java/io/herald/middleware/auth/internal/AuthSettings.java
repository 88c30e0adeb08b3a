package io.herald.middleware.auth.internal;

import java.time.Duration;
import java.util.Map;

import io.herald.core.properties.InvalidPropertyException;
import io.herald.core.properties.ServiceProperties;

/**
 * Authentication settings read from the configuration, checked whole: an entry that is wrong stops authentication
 * (protected actions are then refused) rather than leaving a half-read key list running.
 *
 * <p>The API keys are secrets: this record's {@code toString} and every message about them name keys, never secrets.
 */
record AuthSettings(boolean enabled, ApiKeys apiKeys, JwtVerifier jwt, int maxFailedAttempts,
        Duration failedAttemptsWindow, Duration sessionTtl) {

    /** How long a session lives without being used. */
    static final Duration DEFAULT_SESSION_TTL = Duration.ofHours(24);

    /** @throws IllegalArgumentException naming the property and, for a key, the entry */
    static AuthSettings read(Map<String, ?> properties) {
        boolean enabled = ServiceProperties.bool(properties, "enabled", true);
        ApiKeys keys = ApiKeys.parse(ServiceProperties.strings(properties, "apiKeys"));
        int maxFailures = ServiceProperties.integer(properties, "maxFailedAttempts", 10);
        if (maxFailures < 1) {
            throw new InvalidPropertyException("maxFailedAttempts", "maxFailedAttempts must be at least 1, was " + maxFailures);
        }
        int windowSeconds = ServiceProperties.integer(properties, "failedAttemptsWindowSeconds", 60);
        if (windowSeconds < 1) {
            throw new InvalidPropertyException("failedAttemptsWindowSeconds",
                    "failedAttemptsWindowSeconds must be at least 1, was " + windowSeconds);
        }
        long ttlSeconds = ServiceProperties.longValue(properties, "sessionTtlSeconds", DEFAULT_SESSION_TTL.toSeconds());
        if (ttlSeconds < 60) {
            throw new InvalidPropertyException("sessionTtlSeconds", "sessionTtlSeconds must be at least 60, was " + ttlSeconds);
        }
        JwtVerifier jwt = JwtVerifier.configure(ServiceProperties.string(properties, "jwtSecret", "").trim(),
                ServiceProperties.string(properties, "jwtKeys", "").trim(),
                ServiceProperties.string(properties, "jwtIssuer", ""), ServiceProperties.string(properties, "jwtAudience", ""),
                ServiceProperties.string(properties, "jwtRolesClaim", "roles"));
        return new AuthSettings(enabled, keys, jwt, maxFailures, Duration.ofSeconds(windowSeconds), Duration.ofSeconds(ttlSeconds));
    }

    @Override
    public String toString() {
        return "AuthSettings[enabled=" + enabled + ", apiKeys=" + apiKeys.size() + " keys, jwt="
                + (jwt == null ? "off" : "on") + ", maxFailedAttempts="
                + maxFailedAttempts + ", failedAttemptsWindow=" + failedAttemptsWindow + ", sessionTtl=" + sessionTtl + "]";
    }
}
