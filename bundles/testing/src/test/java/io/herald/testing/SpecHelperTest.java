package io.herald.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.Optional;

import io.herald.api.Action;
import io.herald.api.ActionContext;
import io.herald.api.ActionDefinition;
import io.herald.api.ActionException;
import io.herald.api.ActionInvocation;
import io.herald.api.ActionMiddleware;
import io.herald.api.Caller;
import io.herald.api.Connection;
import io.herald.api.Formatters;
import io.herald.api.Input;
import io.herald.api.Inputs;
import io.herald.api.MiddlewareDefinition;
import io.herald.api.RequestMetadata;
import io.herald.api.ResponseCookie;
import io.herald.api.spi.HeraldError;
import io.herald.api.spi.Outcome;

import org.junit.jupiter.api.Test;

class SpecHelperTest {

    @ActionDefinition(name = "add", description = "adds", middleware = "audit")
    static class Add implements Action {
        public Inputs inputs() {
            return Inputs.of(Input.required("a").formatter(Formatters.INTEGER), Input.required("b").formatter(Formatters.INTEGER));
        }

        public Object run(ActionContext context) {
            return Map.of("sum", (Integer) context.param("a") + (Integer) context.param("b"));
        }
    }

    @ActionDefinition(name = "add", version = 2, blockedConnectionTypes = Connection.WEBSOCKET)
    static class AddV2 implements Action {
        public Object run(ActionContext context) {
            throw ActionException.conflict("v2 is not ready");
        }
    }

    @MiddlewareDefinition(name = "audit")
    static class Audit implements ActionMiddleware {
        public void postProcess(ActionInvocation invocation) {
            invocation.response().put("audited", invocation.action().name());
        }
    }

    record Point(int x, int y) {
    }

    @ActionDefinition(name = "typed")
    static class Typed implements Action {
        public Object run(ActionContext context) {
            Map<String, Object> response = new LinkedHashMap<>();
            response.put("at", Instant.parse("2026-12-06T22:45:23.120Z"));
            response.put("day", LocalDate.of(2026, 12, 6));
            response.put("price", new BigDecimal("12.50"));
            response.put("present", Optional.of("yes"));
            response.put("absent", Optional.empty());
            response.put("point", new Point(1, 2));
            response.put("nested", Map.of("points", List.of(new Point(3, 4))));
            return response;
        }
    }

    static class Unannotated implements Action {
        public Object run(ActionContext context) {
            return null;
        }
    }

    @Test
    void runs_an_action_through_its_middleware_and_inputs_from_its_annotations() {
        SpecHelper spec = SpecHelper.of(new Add(), new Audit());
        SpecResponse response = spec.runAction("add", 1, Map.of("a", "2", "b", 3));
        assertTrue(response.isSuccess(), response.toString());
        assertEquals(5, response.get("sum"));
        assertEquals("add", response.get("audited"));
        assertNull(response.error());
    }

    @Test
    void returned_values_are_the_json_values_a_client_reads() {
        SpecResponse response = SpecHelper.of(new Typed()).runAction("typed");
        assertTrue(response.isSuccess(), response.toString());
        assertEquals("2026-12-06T22:45:23.120Z", response.get("at"));
        assertEquals("2026-12-06", response.get("day"));
        assertEquals(new BigDecimal("12.50"), response.get("price"));
        assertEquals("yes", response.get("present"));
        assertTrue(response.body().containsKey("absent"));
        assertNull(response.get("absent"));
        assertEquals(Map.of("x", 1, "y", 2), response.get("point"));
        assertEquals(Map.of("points", List.of(Map.of("x", 3, "y", 4))), response.get("nested"));
    }

    @Test
    void reports_the_errors_a_client_would_see() {
        SpecHelper spec = SpecHelper.of(new Add(), new AddV2(), new Audit());
        SpecResponse missing = spec.runAction("add", 1, Map.of("a", "1"));
        assertEquals(422, missing.status());
        assertEquals("b is a required parameter for this action", missing.error());
        SpecResponse latest = spec.runAction("add");
        assertEquals(2, latest.version());
        assertEquals(409, latest.status());
        assertEquals("v2 is not ready", latest.error());
        assertEquals(Outcome.UNKNOWN_ACTION, spec.runAction("subtract").outcome());
    }

    @Test
    void calls_arrive_on_the_connection_type_chosen() {
        SpecHelper spec = SpecHelper.builder().add(new AddV2()).connectionType(Connection.WEBSOCKET).build();
        SpecResponse response = spec.runAction("add");
        assertEquals(Outcome.UNSUPPORTED_CONNECTION_TYPE, response.outcome());
        assertEquals("this action does not support the websocket connection type", response.error());
    }

    @Test
    void messages_can_be_reworded_as_by_configuration() {
        SpecHelper spec = SpecHelper.builder().message(HeraldError.UNKNOWN_ACTION, "nothing here").build();
        assertEquals("nothing here", spec.runAction("x").error());
    }

    @Test
    void an_action_without_its_annotation_is_refused_with_a_clear_message() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SpecHelper.of(new Unannotated()));
        assertTrue(e.getMessage().contains("@ActionDefinition"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> SpecHelper.of("not an action"));
    }

    @Test
    void lambdas_take_their_metadata_explicitly() {
        SpecHelper spec = SpecHelper.builder()
                .action(context -> Map.of("pong", true), Map.of("herald.action.name", "ping"))
                .build();
        assertEquals(true, spec.runAction("ping").get("pong"));
    }

    @ActionDefinition(name = "ledger", roles = "accountant")
    static class Ledger implements Action {
        public Object run(ActionContext context) {
            context.setCookie(ResponseCookie.of("seen", "yes"));
            return Map.of("reader", context.caller().orElseThrow().id());
        }
    }

    @Test
    void a_protected_action_runs_for_a_caller_with_its_roles_only() {
        SpecHelper spec = SpecHelper.of(new Ledger());
        assertEquals(401, spec.runAction("ledger").status());
        assertEquals(403, spec.runActionAs(new Caller("ann", Set.of("clerk"), "test"), "ledger", Map.of()).status());
        SpecResponse ok = spec.runActionAs(new Caller("bob", Set.of("accountant"), "test"), "ledger", Map.of());
        assertEquals("bob", ok.get("reader"));
        assertEquals(List.of(ResponseCookie.of("seen", "yes")), ok.cookies());
    }

    @Test
    void a_real_authenticator_reads_the_request_metadata() {
        SpecHelper spec = SpecHelper.builder().add(new Ledger())
                .authenticator((request, connection) -> "Bearer k".equals(request.header("Authorization"))
                        ? new Caller("key", Set.of("accountant"), "apiKey") : null)
                .build();
        assertEquals(200, spec.runAction("ledger", Map.of(),
                RequestMetadata.of(Map.of("Authorization", List.of("Bearer k")), Map.of(), false)).status());
        assertEquals(401, spec.runAction("ledger").status());
        assertThrows(IllegalStateException.class, () -> spec.runActionAs(new Caller("x", Set.of(), "t"), "ledger", Map.of()));
    }
}
