package io.herald.middleware.auth.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.herald.api.Connection;
import io.herald.api.RequestMetadata;
import io.herald.api.ResponseCookie;
import io.herald.api.cache.Cache;
import io.herald.api.spi.ActionRequest;
import io.herald.api.spi.ActionResult;
import io.herald.api.spi.TransportConnection;
import io.herald.core.ActionPipeline;
import io.herald.core.internal.cache.LocalCache;
import io.herald.core.json.HeraldJson;
import io.herald.middleware.auth.Sessions;

import org.junit.jupiter.api.Test;

/**
 * Sessions through the real pipeline, with two "nodes" (two pipelines and two session stores) sharing one cache store,
 * as two nodes share Redis: login, use, logout, and what a hostile cookie gets.
 */
class SessionStoreTest {

    private final LocalCache.Store shared = new LocalCache.Store(System::currentTimeMillis);

    private ActionPipeline node(String id) {
        Cache cache = new LocalCache(shared, id, HeraldJson.mapper());
        SessionStore sessions = new SessionStore(() -> cache, Duration.ofMinutes(5));
        return ActionPipeline.builder()
                .authenticator(new CredentialAuthenticator(ApiKeys.none(), null, sessions,
                        new FailedAttempts(5, 60_000, System::currentTimeMillis)))
                .action(context -> {
                    sessions.open(context, context.param("user").toString(), Set.of("reader"));
                    return Map.of("ok", true);
                }, Map.of("herald.action.name", "login", "herald.action.toDocument", true))
                .action(context -> Map.of("closed", sessions.close(context)),
                        Map.of("herald.action.name", "logout"))
                .action(context -> Map.of("user", context.caller().orElseThrow().id(),
                        "via", context.caller().orElseThrow().scheme()),
                        Map.of("herald.action.name", "me", "herald.action.authenticated", true))
                .disableParamScrubbing(true)
                .build();
    }

    private static ActionResult call(ActionPipeline node, String action, Map<String, String> cookies, boolean secure,
            Object... params) {
        Map<String, Object> map = new java.util.LinkedHashMap<>();
        for (int i = 0; i < params.length; i += 2) {
            map.put((String) params[i], params[i + 1]);
        }
        return node.run(ActionRequest.of(action, map, new TransportConnection("c", Connection.WEB, "10.0.0.9", 1, "fp"))
                .withMetadata(RequestMetadata.of(Map.of(), cookies, secure)));
    }

    @Test
    void a_session_opened_on_one_node_works_on_another_and_logout_ends_it_on_both() {
        ActionPipeline a = node("node-a");
        ActionPipeline b = node("node-b");
        ActionResult login = call(a, "login", Map.of(), false, "user", "ann");
        assertEquals(200, login.status());
        ResponseCookie cookie = login.cookies().get(0);
        assertEquals(Sessions.COOKIE, cookie.name());
        assertTrue(cookie.httpOnly() && cookie.sameSite().equals("Lax") && !cookie.secure(), cookie.headerValue());
        assertTrue(SessionStore.wellFormed(cookie.value()));
        List<String> keys = new LocalCache(shared, "inspect", HeraldJson.mapper()).keys("");
        assertEquals(1, keys.size());
        assertTrue(keys.get(0).matches(SessionStore.KEY_PREFIX + "[0-9a-f]{64}"), "a digest, never the token: " + keys);

        Map<String, String> jar = Map.of(Sessions.COOKIE, cookie.value());
        assertEquals(Map.of("user", "ann", "via", "session"), call(a, "me", jar, false).response());
        assertEquals(Map.of("user", "ann", "via", "session"), call(b, "me", jar, false).response());

        ActionResult logout = call(b, "logout", jar, false);
        assertEquals(true, logout.response().get("closed"));
        assertEquals(ResponseCookie.expired(Sessions.COOKIE, false), logout.cookies().get(0));
        assertEquals(401, call(a, "me", jar, false).status(), "ended on the node that did not log out too");
        assertEquals(401, call(b, "me", jar, false).status());
    }

    @Test
    void over_tls_the_cookie_is_secure_and_a_new_login_ends_the_session_it_came_with() {
        ActionPipeline a = node("node-a");
        String first = call(a, "login", Map.of(), true, "user", "bob").cookies().get(0).value();
        ResponseCookie second = call(a, "login", Map.of(Sessions.COOKIE, first), true, "user", "bob").cookies().get(0);
        assertTrue(second.secure(), second.headerValue());
        assertEquals(401, call(a, "me", Map.of(Sessions.COOKIE, first), true).status(), "no fixation");
        assertEquals(200, call(a, "me", Map.of(Sessions.COOKIE, second.value()), true).status());
    }

    @Test
    void hostile_or_stale_cookies_are_anonymous_a_clean_401_on_protected_actions() {
        ActionPipeline a = node("node-a");
        for (String value : List.of("", "x", "a".repeat(43), "a".repeat(42) + "\r", "a".repeat(42) + ";",
                "../../etc/passwd", "a".repeat(10_000), "%0d%0aSet-Cookie:%20admin=1")) {
            ActionResult result = call(a, "me", Map.of(Sessions.COOKIE, value), false);
            assertEquals(401, result.status(), value);
            assertEquals("this action requires authentication", result.error());
            assertTrue(result.cookies().isEmpty());
        }
        assertEquals(200, call(a, "login", Map.of(Sessions.COOKIE, "garbage"), false, "user", "c").status(),
                "a public action still answers");
    }

    @Test
    void each_use_pushes_the_expiry_back_and_an_unused_session_expires() {
        java.util.concurrent.atomic.AtomicLong now = new java.util.concurrent.atomic.AtomicLong(1_000_000);
        Cache cache = new LocalCache(new LocalCache.Store(now::get), "node", HeraldJson.mapper());
        SessionStore sessions = new SessionStore(() -> cache, Duration.ofMinutes(5));
        ActionPipeline node = ActionPipeline.builder()
                .authenticator(new CredentialAuthenticator(ApiKeys.none(), null, sessions,
                        new FailedAttempts(5, 60_000, now::get)))
                .action(context -> {
                    sessions.open(context, "ann", Set.of());
                    return Map.of();
                }, Map.of("herald.action.name", "login"))
                .action(context -> Map.of(), Map.of("herald.action.name", "me", "herald.action.authenticated", true))
                .build();
        String token = call(node, "login", Map.of(), false).cookies().get(0).value();
        Map<String, String> jar = Map.of(Sessions.COOKIE, token);
        for (int minute = 0; minute < 4; minute++) {
            now.addAndGet(Duration.ofMinutes(4).toMillis());
            assertEquals(200, call(node, "me", jar, false).status(), "used within the TTL, 16 minutes in all");
        }
        now.addAndGet(Duration.ofMinutes(5).toMillis() + 1);
        assertEquals(401, call(node, "me", jar, false).status(), "unused for longer than the TTL");
    }
}
