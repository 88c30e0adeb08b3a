package io.herald.middleware.auth.example;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.herald.api.Action;
import io.herald.api.RequestMetadata;
import io.herald.api.ResponseCookie;
import io.herald.api.cache.Cache;
import io.herald.core.internal.cache.LocalCache;
import io.herald.core.json.HeraldJson;
import io.herald.middleware.auth.Sessions;
import io.herald.middleware.auth.internal.TestAuthentication;
import io.herald.testing.SpecHelper;
import io.herald.testing.SpecResponse;

import org.junit.jupiter.api.Test;

/** The README's session example: login, a protected call with the cookie, logout. */
class LoginExampleTest {

    private final Cache cache = new LocalCache(new LocalCache.Store(System::currentTimeMillis), "node", HeraldJson.mapper());
    private final TestAuthentication authentication = TestAuthentication.withSessionsIn(cache);

    @Test
    void a_user_logs_in_calls_a_protected_action_with_the_cookie_and_logs_out() {
        Login login = new Login();
        login.sessions = authentication.sessions();
        login.users = (email, password) -> email.equals("ann@example.com") && password.equals("correct horse")
                ? Optional.of(new Users.User("ann", Set.of("editor"))) : Optional.empty();
        Logout logout = new Logout();
        logout.sessions = authentication.sessions();
        Action editorsOnly = context -> Map.of("editor", context.caller().orElseThrow().id());
        SpecHelper spec = SpecHelper.builder().add(login).add(logout)
                .action(editorsOnly, Map.of("herald.action.name", "publish", "herald.action.roles", "editor"))
                .authenticator(authentication.authenticator()).build();

        assertEquals(401, spec.runAction("login", Map.of("email", "ann@example.com", "password", "wrong")).status());
        SpecResponse loggedIn = spec.runAction("login", Map.of("email", "ann@example.com", "password", "correct horse"));
        assertEquals("ann", loggedIn.get("user"));
        ResponseCookie cookie = loggedIn.cookies().get(0);
        RequestMetadata browser = RequestMetadata.of(Map.of(), Map.of(Sessions.COOKIE, cookie.value()), false);

        assertEquals("ann", spec.runAction("publish", Map.of(), browser).get("editor"));
        assertEquals(true, spec.runAction("logout", Map.of(), browser).get("loggedOut"));
        assertEquals(401, spec.runAction("publish", Map.of(), browser).status());
        assertEquals(List.of(), spec.runAction("publish").cookies());
    }
}
