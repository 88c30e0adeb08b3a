package io.herald.middleware.auth;

import java.util.Set;

import io.herald.api.ActionContext;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Sessions for an application's own login and logout actions: the application checks the user's password its own
 * way, then opens a session; the browser holds it in an {@code HttpOnly}, {@code SameSite=Lax} cookie ({@code Secure}
 * over TLS) and every later call carries the user's identity and roles. Sessions live in the cache (Redis when
 * configured, so every node sees them), expire after a period without use, and end everywhere on logout.
 *
 * <pre>{@code
 * @Component
 * @ActionDefinition(name = "login")
 * public class Login implements Action {
 *     @Reference Sessions sessions;
 *     @Reference Users users;
 *
 *     public Inputs inputs() {
 *         return Inputs.of(Input.required("email"), Input.required("password"));
 *     }
 *
 *     public Object run(ActionContext context) {
 *         User user = users.check(context.param("email", String.class), context.param("password", String.class));
 *         sessions.open(context, user.id(), user.roles());
 *         return Map.of("user", user.id());
 *     }
 * }
 * }</pre>
 *
 * @since 1.0
 */
@ProviderType
public interface Sessions {

    /** The cookie that carries the session. */
    String COOKIE = "heraldSession";

    /**
     * Opens a session for {@code userId} with {@code roles} and sets its cookie on the response. A session the request
     * already carried is ended first, so a login never keeps a session id an attacker may have planted.
     *
     * @throws io.herald.api.cache.CacheUnavailableException when the cache cannot store it
     */
    void open(ActionContext context, String userId, Set<String> roles);

    /**
     * Ends the session the request carries, on every node, and clears its cookie.
     *
     * @return whether a session was open
     */
    boolean close(ActionContext context);
}
