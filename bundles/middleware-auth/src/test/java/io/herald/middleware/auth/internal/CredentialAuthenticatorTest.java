package io.herald.middleware.auth.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;

import io.herald.api.Connection;
import io.herald.api.RequestMetadata;
import io.herald.api.spi.ActionRequest;
import io.herald.api.spi.ActionResult;
import io.herald.api.spi.TransportConnection;
import io.herald.core.ActionPipeline;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** API keys through the real pipeline: what a client presents, what it gets, and what the log keeps of it. */
class CredentialAuthenticatorTest {

    private static final String ADMIN_SECRET = "admin-secret-0123456789";
    private static final String READER_SECRET = "reader-secret-0123456789";

    private final ListAppender<ILoggingEvent> lines = new ListAppender<>();
    private final Logger authLog = (Logger) LoggerFactory.getLogger("io.herald.auth");
    private final ActionPipeline pipeline = ActionPipeline.builder()
            .authenticator(new CredentialAuthenticator(
                    ApiKeys.parse(List.of("ops:" + ADMIN_SECRET + ":admin", "viewer:" + READER_SECRET + ":reader")), null,
                    new SessionStore(() -> null, AuthSettings.DEFAULT_SESSION_TTL), new FailedAttempts(5, 60_000, System::currentTimeMillis)))
            .action(context -> Map.of("caller", context.caller().map(c -> c.id()).orElse("anonymous")),
                    Map.of("herald.action.name", "whoami"))
            .action(context -> Map.of("emptied", true),
                    Map.of("herald.action.name", "resque:delQueue", "herald.action.roles", "admin"))
            .build();

    @BeforeEach
    void capture() {
        lines.start();
        authLog.addAppender(lines);
    }

    @AfterEach
    void release() {
        authLog.detachAppender(lines);
    }

    private ActionResult call(String action, String from, String... headers) {
        Map<String, List<String>> fields = new LinkedHashMap<>();
        for (int i = 0; i < headers.length; i += 2) {
            fields.computeIfAbsent(headers[i], k -> new ArrayList<>()).add(headers[i + 1]);
        }
        Connection connection = new TransportConnection("c-" + from, Connection.WEB, from, 40000, "fp");
        return pipeline.run(ActionRequest.of(action, Map.of(), connection)
                .withMetadata(RequestMetadata.of(fields, Map.of(), false)));
    }

    @Test
    void an_admin_key_runs_the_admin_action_and_others_are_refused() {
        assertEquals(200, call("resque:delQueue", "10.0.0.1", "Authorization", "Bearer " + ADMIN_SECRET).status());
        assertEquals(200, call("resque:delQueue", "10.0.0.1", "X-API-Key", ADMIN_SECRET).status());
        assertEquals(200, call("resque:delQueue", "10.0.0.1", "authorization", "bearer  " + ADMIN_SECRET).status(),
                "the scheme is case-insensitive");
        ActionResult reader = call("resque:delQueue", "10.0.0.1", "X-API-Key", READER_SECRET);
        assertEquals(403, reader.status());
        assertEquals("this action requires the role admin", reader.error());
        ActionResult anonymous = call("resque:delQueue", "10.0.0.1");
        assertEquals(401, anonymous.status());
        assertEquals("this action requires authentication", anonymous.error());
        assertEquals("viewer", call("whoami", "10.0.0.1", "X-API-Key", READER_SECRET).response().get("caller"));
        assertEquals("anonymous", call("whoami", "10.0.0.1").response().get("caller"));
    }

    @Test
    void bad_credentials_are_one_clean_401_and_the_log_never_holds_them() {
        List<String[]> attempts = List.of(
                new String[] {"X-API-Key", "wrong-secret-0123456789"},
                new String[] {"Authorization", "Basic " + ADMIN_SECRET},
                new String[] {"Authorization", "Bearer"},
                new String[] {"Authorization", "Bearer " + "x".repeat(CredentialAuthenticator.MAX_CREDENTIAL_LENGTH + 1)},
                new String[] {"X-API-Key", ADMIN_SECRET + "\u00e9"},
                new String[] {"X-API-Key", "eyJhbGciOiJub25lIn0.eyJzdWIiOiJhZG1pbiJ9."});
        int address = 0;
        for (String[] attempt : attempts) {
            ActionResult result = call("whoami", "10.0.1." + address++, attempt);
            assertEquals(401, result.status(), attempt[0] + ": " + attempt[1]);
            assertEquals("invalid credentials", result.error());
            assertEquals("Bearer realm=\"herald\"", result.headers().get("WWW-Authenticate"));
        }
        ActionResult both = call("whoami", "10.0.1.99", "X-API-Key", ADMIN_SECRET, "Authorization", "Bearer " + ADMIN_SECRET);
        assertEquals(401, both.status(), "two credentials are ambiguous");
        assertEquals(attempts.size() + 1, lines.list.size());
        for (ILoggingEvent line : lines.list) {
            String text = line.getFormattedMessage();
            assertTrue(text.startsWith("authentication failed from 10.0.1."), text);
            assertFalse(text.contains(ADMIN_SECRET) || text.contains("wrong-secret") || text.contains("xxxx")
                    || text.contains("eyJ"), text);
        }
    }

    @Test
    void an_address_that_fails_too_often_is_refused_even_with_a_good_key_and_others_are_not() {
        for (int i = 0; i < 5; i++) {
            assertEquals(401, call("whoami", "192.0.2.7", "X-API-Key", "guess-number-" + i + "-0123456789").status());
        }
        ActionResult blocked = call("resque:delQueue", "192.0.2.7", "X-API-Key", ADMIN_SECRET);
        assertEquals(429, blocked.status());
        assertTrue(blocked.error().startsWith("too many failed authentications: try again in "), blocked.error());
        assertEquals(blocked.error().replaceAll("\\D", ""), blocked.headers().get("Retry-After"));
        assertEquals(200, call("whoami", "192.0.2.7").status(), "anonymous calls to public actions still answer");
        assertEquals(200, call("resque:delQueue", "192.0.2.8", "X-API-Key", ADMIN_SECRET).status());
        assertTrue(lines.list.stream().anyMatch(l -> l.getFormattedMessage()
                .equals("192.0.2.7 reached the limit of failed authentications: refused until its window ends")));
    }

    @Test
    void a_jwt_bearer_token_authenticates_and_a_forged_one_is_refused_without_logging_it() throws Exception {
        String secret = "jwt-secret-of-at-least-thirty-two-bytes";
        ActionPipeline withJwt = ActionPipeline.builder()
                .authenticator(new CredentialAuthenticator(ApiKeys.none(),
                        JwtVerifier.configure(secret, "", "", "", "roles"),
                        new SessionStore(() -> null, AuthSettings.DEFAULT_SESSION_TTL),
                        new FailedAttempts(5, 60_000, System::currentTimeMillis)))
                .action(context -> Map.of("caller", context.caller().orElseThrow().id()),
                        Map.of("herald.action.name", "admin", "herald.action.roles", "admin"))
                .build();
        com.nimbusds.jwt.SignedJWT jwt = new com.nimbusds.jwt.SignedJWT(
                new com.nimbusds.jose.JWSHeader(com.nimbusds.jose.JWSAlgorithm.HS256),
                new com.nimbusds.jwt.JWTClaimsSet.Builder().subject("dora").claim("roles", List.of("admin"))
                        .expirationTime(new java.util.Date(System.currentTimeMillis() + 60_000)).build());
        jwt.sign(new com.nimbusds.jose.crypto.MACSigner(secret.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        String token = jwt.serialize();
        Connection connection = new TransportConnection("c", Connection.WEB, "10.0.2.1", 1, "fp");
        ActionResult ok = withJwt.run(ActionRequest.of("admin", Map.of(), connection)
                .withMetadata(RequestMetadata.of(Map.of("Authorization", List.of("Bearer " + token)), Map.of(), false)));
        assertEquals(200, ok.status());
        assertEquals("dora", ok.response().get("caller"));
        String forged = token.substring(0, token.lastIndexOf('.') + 1) + "AAAA" + token.substring(token.lastIndexOf('.') + 5);
        ActionResult refused = withJwt.run(ActionRequest.of("admin", Map.of(), connection)
                .withMetadata(RequestMetadata.of(Map.of("Authorization", List.of("Bearer " + forged)), Map.of(), false)));
        assertEquals(401, refused.status());
        assertEquals("invalid credentials", refused.error());
        String line = lines.list.get(lines.list.size() - 1).getFormattedMessage();
        assertTrue(line.startsWith("authentication failed from 10.0.2.1 (web connection): a token that failed verification"), line);
        assertFalse(line.contains(token.substring(0, 20)), line);
    }
}
