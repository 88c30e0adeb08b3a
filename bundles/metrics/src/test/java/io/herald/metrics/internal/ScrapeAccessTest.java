package io.herald.metrics.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import java.util.Map;
import java.util.Set;

import io.herald.api.Caller;
import io.herald.api.Connection;
import io.herald.api.RequestMetadata;
import io.herald.api.spi.AuthenticationException;
import io.herald.api.spi.Authenticator;
import io.herald.api.spi.HeraldError;
import io.herald.api.spi.Messages;
import io.herald.api.spi.TransportConnection;

import org.junit.jupiter.api.Test;

/** The endpoint decides as the core does for an action declaring the role: same statuses, same words. */
class ScrapeAccessTest {

    private static final Connection CONNECTION = new TransportConnection("c1", Connection.WEB, "127.0.0.1", 4000, "f");
    private static final Messages MESSAGES = Messages.defaults();

    /** Accepts the key "scraper" with the metrics role and "admin" with the admin role. */
    private static final Authenticator KEYS = (request, connection) -> {
        String key = request.header("X-API-Key");
        if (key == null) {
            return null;
        }
        return switch (key) {
            case "scraper" -> new Caller("prometheus", Set.of("metrics"), "apiKey");
            case "admin" -> new Caller("ops", Set.of("admin"), "apiKey");
            case "flood" -> throw new AuthenticationException(HeraldError.TOO_MANY_FAILED_AUTHENTICATIONS, 42);
            default -> throw new AuthenticationException(HeraldError.INVALID_CREDENTIALS);
        };
    };

    private static RequestMetadata key(String key) {
        return RequestMetadata.of(Map.of("X-API-Key", List.of(key)), Map.of(), false);
    }

    private final ScrapeAccess access = new ScrapeAccess("metrics", false);

    @Test
    void a_caller_with_the_role_reads_the_metrics() {
        assertNull(access.check(KEYS, MESSAGES, key("scraper"), CONNECTION));
    }

    @Test
    void no_credentials_is_401_with_the_bearer_challenge() {
        ScrapeAccess.Refusal refusal = access.check(KEYS, MESSAGES, RequestMetadata.none(), CONNECTION);
        assertEquals(401, refusal.status());
        assertEquals("this action requires authentication", refusal.error());
        assertEquals("Bearer realm=\"herald\"", refusal.headers().get("WWW-Authenticate"));
    }

    @Test
    void a_caller_without_the_role_is_403_naming_it() {
        ScrapeAccess.Refusal refusal = access.check(KEYS, MESSAGES, key("admin"), CONNECTION);
        assertEquals(403, refusal.status());
        assertEquals("this action requires the role metrics", refusal.error());
    }

    @Test
    void the_authenticators_own_refusals_pass_through() {
        assertEquals(401, access.check(KEYS, MESSAGES, key("guess"), CONNECTION).status());
        ScrapeAccess.Refusal flood = access.check(KEYS, MESSAGES, key("flood"), CONNECTION);
        assertEquals(429, flood.status());
        assertEquals("42", flood.headers().get("Retry-After"));
    }

    @Test
    void the_operators_wording_is_used() {
        Messages reworded = (error, args) -> error == HeraldError.AUTHENTICATION_REQUIRED ? "log in first"
                : MESSAGES.format(error, args);
        assertEquals("log in first", access.check(KEYS, reworded, RequestMetadata.none(), CONNECTION).error());
    }

    @Test
    void without_authentication_it_is_open_unless_required() {
        assertNull(access.check(null, MESSAGES, RequestMetadata.none(), CONNECTION));
        ScrapeAccess.Refusal closed = new ScrapeAccess("metrics", true).check(null, MESSAGES, RequestMetadata.none(),
                CONNECTION);
        assertEquals(503, closed.status());
        assertEquals("this action requires authentication, which is not running on this node", closed.error());
    }
}
