package io.herald.middleware.auth.internal;

import java.time.Duration;

import io.herald.api.cache.Cache;
import io.herald.api.spi.Authenticator;
import io.herald.middleware.auth.Sessions;

/** The bundle's authenticator and sessions without OSGi, for tests of application code in other packages. */
public final class TestAuthentication {

    private final SessionStore sessions;
    private final CredentialAuthenticator authenticator;

    private TestAuthentication(Cache cache) {
        this.sessions = new SessionStore(() -> cache, Duration.ofMinutes(10));
        this.authenticator = new CredentialAuthenticator(ApiKeys.none(), null, sessions,
                new FailedAttempts(10, 60_000, System::currentTimeMillis));
    }

    public static TestAuthentication withSessionsIn(Cache cache) {
        return new TestAuthentication(cache);
    }

    public Sessions sessions() {
        return sessions;
    }

    public Authenticator authenticator() {
        return authenticator;
    }
}
