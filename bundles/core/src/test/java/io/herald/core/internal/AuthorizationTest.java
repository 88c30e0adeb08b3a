package io.herald.core.internal;

import static io.herald.core.internal.TestActions.call;
import static io.herald.core.internal.TestActions.middlewareProps;
import static io.herald.core.internal.TestActions.props;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;

import io.herald.api.Action;
import io.herald.api.ActionContext;
import io.herald.api.ActionInvocation;
import io.herald.api.Input;
import io.herald.api.Inputs;
import io.herald.api.ActionMiddleware;
import io.herald.api.Caller;
import io.herald.api.RequestMetadata;
import io.herald.api.ResponseCookie;
import io.herald.api.spi.ActionResult;
import io.herald.api.spi.AuthenticationException;
import io.herald.api.spi.Authenticator;
import io.herald.api.spi.HeraldError;
import io.herald.api.spi.Messages;
import io.herald.api.spi.Outcome;
import io.herald.api.spi.Redactor;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** The core's half of authentication: it holds actions to their declaration, whether an authenticator runs or not. */
class AuthorizationTest {

    private final Pipeline pipeline = new Pipeline(Messages.defaults(), ProcessorSettings.defaults());
    private final AtomicInteger runs = new AtomicInteger();
    private final AtomicReference<Caller> seen = new AtomicReference<>();
    private final Logger actionLog = (Logger) LoggerFactory.getLogger("io.herald.action");
    private final ListAppender<ILoggingEvent> lines = new ListAppender<>();
    private Level actionLogLevel;

    /** Accepts {@code Authorization: Bearer <id>:<role>,<role>}; refuses {@code Bearer bad}. */
    private final Authenticator bearer = (request, connection) -> {
        String header = request.header("Authorization");
        if (header == null) {
            return null;
        }
        if (header.equals("Bearer bad")) {
            throw new AuthenticationException(HeraldError.INVALID_CREDENTIALS);
        }
        String[] parts = header.substring("Bearer ".length()).split(":", 2);
        return new Caller(parts[0], parts.length > 1 ? Set.of(parts[1].split(",")) : Set.of(), "test");
    };

    @BeforeEach
    void register() {
        lines.start();
        actionLogLevel = actionLog.getLevel();
        actionLog.setLevel(Level.INFO);
        actionLog.setAdditive(false);
        actionLog.addAppender(lines);
        pipeline.addAction(context -> {
            runs.incrementAndGet();
            seen.set(context.caller().orElse(null));
            return Map.of("ok", true);
        }, props("public", 1), 1);
        pipeline.addAction(context -> {
            runs.incrementAndGet();
            return Map.of("ok", true);
        }, props("private", 1, "herald.action.authenticated", true), 2);
        pipeline.addAction(context -> {
            runs.incrementAndGet();
            return Map.of("ok", true);
        }, props("admin", 1, "herald.action.roles", new String[] {"admin", "ops"}), 3);
    }

    @AfterEach
    void detach() {
        actionLog.detachAppender(lines);
        actionLog.setLevel(actionLogLevel);
        actionLog.setAdditive(true);
    }

    private ActionResult run(String action, String authorization) {
        Map<String, List<String>> headers = authorization == null ? Map.of() : Map.of("authorization", List.of(authorization));
        return pipeline.runner().run(call(action).withMetadata(RequestMetadata.of(headers, Map.of(), false)));
    }

    @Test
    void without_an_authenticator_a_protected_action_is_refused_and_never_runs() {
        for (String action : List.of("private", "admin")) {
            ActionResult result = run(action, "Bearer root:admin,ops");
            assertEquals(503, result.status(), action);
            assertEquals(Outcome.UNAUTHENTICATED, result.outcome());
            assertEquals(HeraldError.AUTHENTICATION_UNAVAILABLE.defaultMessage(), result.error());
        }
        assertEquals(0, runs.get());
        assertEquals(200, run("public", null).status(), "an unprotected action needs no authenticator");
    }

    @Test
    void an_anonymous_call_to_a_protected_action_is_a_401_naming_the_scheme() {
        pipeline.addAuthenticator(bearer, 0, 10);
        ActionResult result = run("private", null);
        assertEquals(401, result.status());
        assertEquals("this action requires authentication", result.error());
        assertEquals("Bearer realm=\"herald\"", result.headers().get("WWW-Authenticate"));
        assertEquals(0, runs.get());
    }

    @Test
    void a_caller_without_every_role_gets_403() {
        pipeline.addAuthenticator(bearer, 0, 10);
        ActionResult result = run("admin", "Bearer alice:admin");
        assertEquals(403, result.status());
        assertEquals(Outcome.FORBIDDEN, result.outcome());
        assertEquals("this action requires the role admin, ops", result.error());
        assertEquals(0, runs.get());
        assertEquals(200, run("admin", "Bearer root:admin,ops").status());
        assertEquals(200, run("private", "Bearer bob").status(), "authenticated needs no role");
    }

    @Test
    void invalid_credentials_are_refused_even_on_a_public_action() {
        pipeline.addAuthenticator(bearer, 0, 10);
        ActionResult result = run("public", "Bearer bad");
        assertEquals(401, result.status());
        assertEquals("invalid credentials", result.error());
        assertEquals(0, runs.get());
    }

    @Test
    void actions_and_middleware_see_the_caller_and_the_request() {
        pipeline.addAuthenticator(bearer, 0, 10);
        AtomicReference<String> header = new AtomicReference<>();
        AtomicReference<Caller> middlewareSaw = new AtomicReference<>();
        pipeline.addMiddleware(new ActionMiddleware() {
            @Override
            public void preProcess(ActionInvocation invocation) {
                header.set(invocation.request().header("AUTHORIZATION"));
                middlewareSaw.set(invocation.caller().orElse(null));
            }
        }, middlewareProps("watch", true, 1), 20);
        assertEquals(200, run("public", "Bearer carol:reader").status());
        assertEquals("Bearer carol:reader", header.get(), "header names are case-insensitive");
        assertEquals(new Caller("carol", Set.of("reader"), "test"), middlewareSaw.get());
        assertEquals(middlewareSaw.get(), seen.get());
        assertEquals(200, run("public", null).status());
        assertNull(seen.get(), "an anonymous caller is empty");
    }

    @Test
    void the_highest_ranked_authenticator_answers_and_its_removal_closes_protected_actions_again() {
        Authenticator nobody = (request, connection) -> null;
        pipeline.addAuthenticator(nobody, 0, 10);
        pipeline.addAuthenticator(bearer, 5, 11);
        assertEquals(200, run("private", "Bearer dave").status());
        pipeline.removeAuthenticator(bearer);
        assertEquals(401, run("private", "Bearer dave").status());
        pipeline.removeAuthenticator(nobody);
        assertEquals(503, run("private", "Bearer dave").status());
    }

    @Test
    void cookies_set_by_an_action_reach_the_result_and_a_header_with_a_line_break_is_refused() {
        pipeline.addAction(context -> {
            context.setCookie(ResponseCookie.of("session", "first"));
            context.setCookie(ResponseCookie.of("session", "second").withSecure(context.request().secure()));
            return Map.of();
        }, props("login", 1), 4);
        pipeline.addAction(context -> {
            context.setHeader("X-Echo", "a\r\nSet-Cookie: admin=1");
            return Map.of();
        }, props("inject", 1), 5);
        ActionResult login = run("login", null);
        assertEquals(List.of(ResponseCookie.of("session", "second")), login.cookies(), "one cookie per name, the last");
        assertEquals("session=second; Path=/; HttpOnly; SameSite=Lax", login.cookies().get(0).headerValue());
        ActionResult inject = run("inject", null);
        assertEquals(500, inject.status());
        assertFalse(inject.headers().containsKey("X-Echo"));
    }

    private static Action takingPasswordAndUser() {
        return new Action() {
            @Override
            public Object run(ActionContext context) {
                return Map.of();
            }

            @Override
            public Inputs inputs() {
                return Inputs.of(Input.optional("password"), Input.optional("user"));
            }
        };
    }

    @Test
    void without_a_redactor_the_log_names_params_without_their_values() {
        pipeline.addAction(takingPasswordAndUser(), props("login2", 1), 6);
        pipeline.runner().run(call("login2", "password", "hunter2", "user", "ann"));
        String line = lines.list.get(lines.list.size() - 1).getFormattedMessage();
        assertTrue(line.contains("params=[password, user"), line);
        assertFalse(line.contains("hunter2") || line.contains("ann"), line);
    }

    @Test
    void with_a_redactor_the_log_shows_what_it_renders() {
        pipeline.addRedactor(new Redactor() {
            @Override
            public Map<String, Object> params(Map<String, ?> params) {
                Map<String, Object> copy = new LinkedHashMap<>(params);
                copy.replaceAll((k, v) -> k.equals("password") ? FILTERED : v);
                return copy;
            }

            @Override
            public Map<String, Object> response(Map<String, ?> response) {
                return new LinkedHashMap<>(response);
            }
        }, 0, 10);
        pipeline.addAction(takingPasswordAndUser(), props("login3", 1), 6);
        pipeline.runner().run(call("login3", "password", "hunter2", "user", "ann"));
        String line = lines.list.get(lines.list.size() - 1).getFormattedMessage();
        assertTrue(line.contains("password=[FILTERED]") && line.contains("user=ann"), line);
        assertFalse(line.contains("hunter2"), line);
    }
}
