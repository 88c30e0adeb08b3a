package io.herald.middleware.auth.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The configuration of authentication, PID {@value AuthenticationComponent#PID} (file
 * {@code config/io.herald.middleware.auth.cfg}). Types and minimums are what the launcher checks a staged value
 * against; {@link AuthSettings} checks the API key entries.
 */
@ObjectClassDefinition(name = "Herald authentication",
        description = "Establishes callers from API keys; actions that declare authenticated or roles run only for them.")
public @interface AuthConfig {

    @AttributeDefinition(description = "false: authentication stops, and every action that declares authenticated or "
            + "roles is refused (503) until it runs again. Never opens them.")
    boolean enabled() default true;

    @AttributeDefinition(description = "API keys, comma-separated: name:secret:role1;role2, the secret in clear (at "
            + "least 16 characters) or as sha256:<64 hex digits>. Presented as 'Authorization: Bearer <secret>' or "
            + "'X-API-Key: <secret>'.")
    String apiKeys() default "";

    @AttributeDefinition(description = "The HS256 secret of JWT bearer tokens (32 bytes at least); empty: no HS256.")
    String jwtSecret() default "";

    @AttributeDefinition(description = "A JWKS file, or a file of PEM PUBLIC KEY blocks, with the RSA (RS256) and EC "
            + "P-256 (ES256) keys of JWT bearer tokens; empty: none.")
    String jwtKeys() default "";

    @AttributeDefinition(description = "The iss a token must carry; empty: any.")
    String jwtIssuer() default "";

    @AttributeDefinition(description = "The aud a token must carry; empty: any.")
    String jwtAudience() default "";

    @AttributeDefinition(description = "The claim holding a token's roles: a list or a space- or comma-separated "
            + "string; a dotted name reads a nested one (realm_access.roles).")
    String jwtRolesClaim() default "roles";

    @AttributeDefinition(min = "1", description = "Failed authentications one address may make within the window; "
            + "past it, the address is refused (429) until the window ends.")
    int maxFailedAttempts() default 10;

    @AttributeDefinition(min = "1", description = "The window of maxFailedAttempts, in seconds.")
    int failedAttemptsWindowSeconds() default 60;

    @AttributeDefinition(min = "60", description = "Seconds a session lives without being used; each use starts the "
            + "period again.")
    long sessionTtlSeconds() default 86400;
}
