package io.herald.core.internal;

import static io.herald.core.internal.TestActions.call;
import static io.herald.core.internal.TestActions.connection;
import static io.herald.core.internal.TestActions.middlewareProps;
import static io.herald.core.internal.TestActions.props;
import static io.herald.core.internal.TestActions.returning;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import io.herald.api.Action;
import io.herald.api.ActionContext;
import io.herald.api.ActionException;
import io.herald.api.ActionInvocation;
import io.herald.api.ActionMiddleware;
import io.herald.api.Formatters;
import io.herald.api.Input;
import io.herald.api.Inputs;
import io.herald.api.UploadedFile;
import io.herald.api.spi.ActionResult;
import io.herald.api.spi.HeraldError;
import io.herald.api.spi.Messages;
import io.herald.api.spi.Outcome;
import io.herald.api.spi.TransportConnection;

import org.junit.jupiter.api.Test;

class ActionProcessorTest {

    private final Pipeline pipeline = new Pipeline(Messages.defaults(), ProcessorSettings.defaults());

    private ActionResult run(String action, Object... params) {
        return pipeline.runner().run(call(action, params));
    }

    @Test
    void returns_the_actions_fields_with_status_200() {
        pipeline.addAction(returning(Map.of("hello", "world")), props("hello", 1), 1);
        ActionResult result = run("hello");
        assertEquals(Outcome.COMPLETE, result.outcome());
        assertEquals(200, result.status());
        assertEquals("world", result.response().get("hello"));
        assertNull(result.error());
    }

    @Test
    void an_action_may_refuse_transport_metadata() {
        pipeline.addAction(returning(Map.of("openapi", "3.0.3")), props("doc", 1, "herald.action.responseMetadata", false), 1);
        pipeline.addAction(returning(Map.of()), props("plain", 1), 2);
        assertFalse(run("doc").responseMetadata());
        assertTrue(run("plain").responseMetadata());
    }

    @Test
    void merges_a_record_into_the_response() {
        record Answer(int value, String unit) {
        }
        pipeline.addAction(context -> new Answer(42, "m"), props("answer", 1), 1);
        ActionResult result = run("answer");
        assertEquals(42, result.response().get("value"));
        assertEquals("m", result.response().get("unit"));
    }

    @Test
    void a_string_return_value_is_a_clear_500() {
        pipeline.addAction(context -> "oops", props("bad", 1), 1);
        ActionResult result = run("bad");
        assertEquals(500, result.status());
        assertTrue(result.error().contains("return a Map, a record or a bean"), result.error());
    }

    @Test
    void unknown_action_is_404_with_actionheros_message() {
        ActionResult result = run("nope");
        assertEquals(Outcome.UNKNOWN_ACTION, result.outcome());
        assertEquals(404, result.status());
        assertEquals("unknown action or invalid apiVersion", result.error());
    }

    @Test
    void no_action_named_is_unknown_action() {
        assertEquals(Outcome.UNKNOWN_ACTION, pipeline.runner().run(call((String) null)).outcome());
    }

    @Test
    void the_action_param_names_the_action_when_the_transport_does_not() {
        pipeline.addAction(returning(Map.of("ok", true)), props("viaParam", 1), 1);
        assertEquals(Outcome.COMPLETE, pipeline.runner().run(call((String) null, "action", "viaParam")).outcome());
    }

    @Test
    void latest_version_answers_unless_one_is_named() {
        pipeline.addAction(returning(Map.of("v", 1)), props("thing", 1), 1);
        pipeline.addAction(returning(Map.of("v", 3)), props("thing", 3), 2);
        pipeline.addAction(returning(Map.of("v", 2)), props("thing", 2), 3);
        assertEquals(3, run("thing").response().get("v"));
        assertEquals(3, run("thing").version());
        assertEquals(1, run("thing", "apiVersion", "1").response().get("v"));
        assertEquals(2, run("thing", "apiVersion", 2).response().get("v"));
        assertEquals(2, pipeline.runner().run(call("thing").withApiVersion(2)).response().get("v"));
    }

    @Test
    void unknown_or_unparseable_version_is_unknown_action() {
        pipeline.addAction(returning(Map.of()), props("thing", 1), 1);
        assertEquals(Outcome.UNKNOWN_ACTION, run("thing", "apiVersion", "7").outcome());
        assertEquals(Outcome.UNKNOWN_ACTION, run("thing", "apiVersion", "seven").outcome());
    }

    @Test
    void the_newest_registration_of_a_version_answers_and_the_older_one_returns_when_it_leaves() {
        Action older = returning(Map.of("who", "older"));
        Action newer = returning(Map.of("who", "newer"));
        pipeline.addAction(older, props("dup", 1), 1);
        pipeline.addAction(newer, props("dup", 1), 2);
        assertEquals("newer", run("dup").response().get("who"));
        pipeline.removeAction(newer);
        assertEquals("older", run("dup").response().get("who"));
    }

    @Test
    void an_action_without_a_name_is_refused_and_others_still_register() {
        assertFalse(pipeline.addAction(returning(Map.of()), Map.of(), 1));
        assertTrue(pipeline.addAction(returning(Map.of()), props("fine", 1), 2));
        assertEquals(1, pipeline.runner().actions().size());
    }

    @Test
    void missing_required_param_is_422_naming_it() {
        pipeline.addAction(echo(), props("echo", 1), 1);
        ActionResult result = run("echo");
        assertEquals(Outcome.MISSING_PARAMS, result.outcome());
        assertEquals(422, result.status());
        assertEquals("message is a required parameter for this action", result.error());
        assertEquals(Outcome.MISSING_PARAMS, run("echo", "message", "").outcome(), "the empty string is missing");
    }

    @Test
    void the_first_missing_param_is_reported_before_invalid_ones() {
        Action action = new Action() {
            public Inputs inputs() {
                return Inputs.of(Input.required("a").validator(v -> false), Input.required("b"));
            }

            public Object run(ActionContext c) {
                return null;
            }
        };
        pipeline.addAction(action, props("two", 1), 1);
        assertEquals("b is a required parameter for this action", run("two", "a", "x").error());
    }

    @Test
    void defaults_apply_only_to_absent_params_and_may_be_computed() {
        int[] calls = {0};
        Action action = new Action() {
            public Inputs inputs() {
                return Inputs.of(Input.optional("size").defaultValue(10), Input.required("n").defaultValue(() -> ++calls[0]));
            }

            public Object run(ActionContext c) {
                return Map.of("size", c.param("size"), "n", c.param("n"));
            }
        };
        pipeline.addAction(action, props("defaults", 1), 1);
        assertEquals(Map.of("size", 10, "n", 1), withoutError(run("defaults")));
        assertEquals(20, run("defaults", "size", 20).response().get("size"));
        assertEquals(3, run("defaults").response().get("n"), "the supplier runs at every call");
    }

    @Test
    void formatters_run_in_order_and_a_failing_one_is_422_naming_the_param() {
        Action action = new Action() {
            public Inputs inputs() {
                return Inputs.of(Input.required("n").formatter(Formatters.INTEGER).formatter(v -> (Integer) v * 2));
            }

            public Object run(ActionContext c) {
                return Map.of("n", c.param("n"));
            }
        };
        pipeline.addAction(action, props("double", 1), 1);
        assertEquals(42, run("double", "n", " 21 ").response().get("n"));
        ActionResult bad = run("double", "n", "abc");
        assertEquals(Outcome.INVALID_PARAMS, bad.outcome());
        assertEquals(422, bad.status());
        assertEquals("Input for parameter \"n\" is invalid: must be an integer, was \"abc\"", bad.error());
    }

    @Test
    void validators_follow_actionheros_return_semantics() {
        Action action = new Action() {
            public Inputs inputs() {
                return Inputs.of(Input.optional("a").validator(v -> !v.equals("bad")),
                        Input.optional("b").validator(v -> v.equals("bad") ? "b must not be bad" : null),
                        Input.optional("c").validator(v -> {
                            if (v.equals("bad")) {
                                throw new IllegalArgumentException("c threw");
                            }
                            return true;
                        }));
            }

            public Object run(ActionContext c) {
                return Map.of("ok", true);
            }
        };
        pipeline.addAction(action, props("validated", 1), 1);
        assertEquals(Outcome.COMPLETE, run("validated", "a", "good", "b", "good", "c", "good").outcome());
        assertEquals("Input for parameter \"a\" failed validation!", run("validated", "a", "bad").error());
        assertEquals("b must not be bad", run("validated", "b", "bad").error());
        assertEquals("c threw", run("validated", "c", "bad").error());
        assertEquals(422, run("validated", "c", "bad").status());
    }

    @Test
    void undeclared_params_are_scrubbed_but_global_safe_params_stay() {
        pipeline.addAction(paramsEcho(Inputs.of(Input.optional("keep"))), props("scrub", 1), 1);
        @SuppressWarnings("unchecked")
        Map<String, Object> seen = (Map<String, Object>) run("scrub", "keep", 1, "drop", 2, "callback", "cb").response().get("params");
        assertEquals(Map.of("keep", 1, "callback", "cb", "apiVersion", 1), seen);
    }

    @Test
    void scrubbing_can_be_disabled() {
        pipeline.configure(new ProcessorSettings(5, true, true, 0), Messages.defaults());
        pipeline.addAction(paramsEcho(Inputs.none()), props("noscrub", 1), 1);
        @SuppressWarnings("unchecked")
        Map<String, Object> seen = (Map<String, Object>) run("noscrub", "extra", "x").response().get("params");
        assertEquals("x", seen.get("extra"));
    }

    @Test
    void an_action_may_keep_its_undeclared_params_while_others_are_scrubbed() {
        pipeline.addAction(paramsEcho(Inputs.of(Input.optional("keep"))), props("raw", 1, "herald.action.scrubParams", false), 1);
        pipeline.addAction(paramsEcho(Inputs.of(Input.optional("keep"))), props("scrubbed", 1), 2);
        @SuppressWarnings("unchecked")
        Map<String, Object> kept = (Map<String, Object>) run("raw", "keep", 1, "extra", "x").response().get("params");
        assertEquals(Map.of("keep", 1, "extra", "x", "apiVersion", 1), kept);
        @SuppressWarnings("unchecked")
        Map<String, Object> scrubbed = (Map<String, Object>) run("scrubbed", "keep", 1, "extra", "x").response().get("params");
        assertEquals(Map.of("keep", 1, "apiVersion", 1), scrubbed);
    }

    @Test
    void scrub_params_comes_from_the_annotation() {
        @io.herald.api.ActionDefinition(name = "free", scrubParams = false)
        final class Free implements Action {
            @Override
            public Object run(ActionContext context) {
                return Map.of("params", Map.copyOf(context.params()));
            }
        }
        RegisteredAction free = RegisteredAction.of(new Free(), ComponentProperties.of(Free.class.getAnnotation(
                io.herald.api.ActionDefinition.class)), 1);
        assertFalse(free.scrubParams());
        assertTrue(RegisteredAction.of(returning(Map.of()), props("default", 1), 2).scrubParams());
    }

    @Test
    void params_are_read_only_in_the_action() {
        pipeline.addAction(context -> {
            context.params().put("x", 1);
            return null;
        }, props("mutator", 1), 1);
        ActionResult result = run("mutator");
        assertEquals(500, result.status());
        assertTrue(result.error().startsWith("UnsupportedOperationException"), result.error());
    }

    @Test
    void action_exceptions_carry_their_status_and_message() {
        pipeline.addAction(context -> {
            throw ActionException.notFound("no such user");
        }, props("user", 1), 1);
        ActionResult result = run("user");
        assertEquals(Outcome.GENERIC_ERROR, result.outcome());
        assertEquals(404, result.status());
        assertEquals("no such user", result.error());
    }

    @Test
    void unexpected_exceptions_are_500_and_hidden_when_errors_are_not_exposed() {
        pipeline.addAction(context -> {
            throw new IllegalStateException("database password is hunter2");
        }, props("leaky", 1), 1);
        assertEquals("IllegalStateException: database password is hunter2", run("leaky").error());
        pipeline.configure(new ProcessorSettings(5, false, false, 0), Messages.defaults());
        ActionResult hidden = run("leaky");
        assertEquals(500, hidden.status());
        assertTrue(hidden.error().startsWith("internal error (reference "), hidden.error());
        assertFalse(hidden.error().contains("hunter2"));
    }

    @Test
    void the_action_sets_status_and_headers() {
        pipeline.addAction(context -> {
            context.setStatus(201);
            context.setHeader("Location", "/users/7");
            return Map.of("id", 7);
        }, props("create", 1), 1);
        ActionResult result = run("create");
        assertEquals(201, result.status());
        assertEquals("/users/7", result.headers().get("Location"));
    }

    @Test
    void blocked_connection_types_are_refused() {
        pipeline.addAction(returning(Map.of()), props("webOnly", 1, "herald.action.blockedConnectionTypes",
                new String[] {"websocket", "tcp"}), 1);
        assertEquals(Outcome.COMPLETE, run("webOnly").outcome());
        ActionResult refused = pipeline.runner().run(call(connection("tcp"), "webOnly"));
        assertEquals(Outcome.UNSUPPORTED_CONNECTION_TYPE, refused.outcome());
        assertEquals(403, refused.status());
        assertEquals("this action does not support the tcp connection type", refused.error());
    }

    @Test
    void too_many_pending_actions_on_one_connection_are_refused() throws Exception {
        pipeline.configure(new ProcessorSettings(2, false, true, 0), Messages.defaults());
        CountDownLatch entered = new CountDownLatch(2);
        CountDownLatch release = new CountDownLatch(1);
        pipeline.addAction(context -> {
            entered.countDown();
            release.await(10, TimeUnit.SECONDS);
            return Map.of("done", true);
        }, props("slow", 1), 1);
        TransportConnection shared = connection("websocket");
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<ActionResult>> running = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                running.add(pool.submit(() -> pipeline.runner().run(call(shared, "slow"))));
            }
            assertTrue(entered.await(10, TimeUnit.SECONDS));
            ActionResult third = pipeline.runner().run(call(shared, "slow"));
            assertEquals(Outcome.TOO_MANY_PENDING_ACTIONS, third.outcome());
            assertEquals(429, third.status());
            assertEquals("you have too many pending requests", third.error());
            release.countDown();
            for (Future<ActionResult> f : running) {
                assertEquals(Outcome.COMPLETE, f.get(10, TimeUnit.SECONDS).outcome());
            }
            assertEquals(0, shared.pendingActions());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void after_shutdown_calls_are_refused_with_503() {
        pipeline.addAction(returning(Map.of()), props("any", 1), 1);
        pipeline.shutDown();
        ActionResult result = run("any");
        assertEquals(Outcome.SERVER_SHUTTING_DOWN, result.outcome());
        assertEquals(503, result.status());
        assertEquals("the server is shutting down", result.error());
    }

    @Test
    void an_action_whose_middleware_is_not_running_does_not_run() {
        boolean[] ran = {false};
        pipeline.addAction(context -> {
            ran[0] = true;
            return null;
        }, props("guarded", 1, "herald.action.middleware", new String[] {"auth"}), 1);
        ActionResult result = run("guarded");
        assertEquals(Outcome.MIDDLEWARE_UNAVAILABLE, result.outcome());
        assertEquals(503, result.status());
        assertFalse(ran[0]);
    }

    @Test
    void middleware_runs_by_priority_globals_first_at_equal_priority() {
        List<String> order = new ArrayList<>();
        pipeline.addMiddleware(recording("late-global", order), middlewareProps("late-global", true, 200), 1);
        pipeline.addMiddleware(recording("early-global", order), middlewareProps("early-global", true, 50), 2);
        pipeline.addMiddleware(recording("mine-b", order), middlewareProps("mine-b", false, 100), 3);
        pipeline.addMiddleware(recording("mine-a", order), middlewareProps("mine-a", false, 100), 4);
        pipeline.addMiddleware(recording("mid-global", order), middlewareProps("mid-global", true, 100), 5);
        pipeline.addMiddleware(recording("unused", order), middlewareProps("unused", false, 1), 6);
        pipeline.addAction(context -> {
            order.add("action");
            return null;
        }, props("ordered", 1, "herald.action.middleware", new String[] {"mine-b", "mine-a"}), 7);
        assertEquals(Outcome.COMPLETE, run("ordered").outcome());
        assertEquals(List.of("pre early-global", "pre mid-global", "pre mine-b", "pre mine-a", "pre late-global", "action",
                "post early-global", "post mid-global", "post mine-b", "post mine-a", "post late-global"), order);
    }

    @Test
    void pre_processors_see_every_param_and_may_add_response_fields() {
        ActionMiddleware m = new ActionMiddleware() {
            public void preProcess(ActionInvocation invocation) {
                invocation.response().put("sawSecret", invocation.params().get("secret"));
            }
        };
        pipeline.addMiddleware(m, middlewareProps("peek", true, 100), 1);
        pipeline.addAction(returning(Map.of("ok", true)), props("plain", 1), 2);
        ActionResult result = run("plain", "secret", "s3");
        assertEquals("s3", result.response().get("sawSecret"));
        assertEquals(true, result.response().get("ok"));
    }

    @Test
    void a_pre_processor_may_stop_the_call_with_an_error_or_skip_the_action() {
        boolean[] ran = {false};
        pipeline.addMiddleware(new ActionMiddleware() {
            public void preProcess(ActionInvocation invocation) {
                if (invocation.params().get("token") == null) {
                    throw ActionException.unauthorized("token required");
                }
                if ("cached".equals(invocation.params().get("token"))) {
                    invocation.response().put("from", "cache");
                    invocation.skipAction();
                }
            }
        }, middlewareProps("auth", false, 100), 1);
        pipeline.addAction(context -> {
            ran[0] = true;
            return Map.of("from", "action");
        }, props("secret", 1, "herald.action.middleware", "auth"), 2);
        ActionResult denied = run("secret");
        assertEquals(401, denied.status());
        assertEquals("token required", denied.error());
        assertFalse(ran[0]);
        ActionResult skipped = run("secret", "token", "cached");
        assertEquals(200, skipped.status());
        assertEquals("cache", skipped.response().get("from"));
        assertFalse(ran[0]);
        assertEquals("action", run("secret", "token", "t").response().get("from"));
    }

    @Test
    void middleware_leaving_changes_the_chain() {
        List<String> order = new ArrayList<>();
        ActionMiddleware global = recording("g", order);
        pipeline.addMiddleware(global, middlewareProps("g", true, 100), 1);
        pipeline.addAction(returning(Map.of()), props("a", 1), 2);
        run("a");
        assertEquals(2, order.size());
        pipeline.removeMiddleware(global);
        order.clear();
        run("a");
        assertTrue(order.isEmpty());
    }

    @Test
    void a_call_to_an_action_that_just_left_waits_for_its_replacement() throws Exception {
        pipeline.configure(new ProcessorSettings(5, false, true, 5000), Messages.defaults());
        Action old = returning(Map.of("v", "old"));
        pipeline.addAction(old, props("swap", 1), 1);
        pipeline.removeAction(old);
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<ActionResult> waiting = pool.submit(() -> run("swap"));
            Thread.sleep(100);
            pipeline.addAction(returning(Map.of("v", "new")), props("swap", 1), 2);
            ActionResult result = waiting.get(10, TimeUnit.SECONDS);
            assertEquals(Outcome.COMPLETE, result.outcome());
            assertEquals("new", result.response().get("v"));
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void a_removed_action_is_unknown_once_the_grace_period_is_over() {
        pipeline.configure(new ProcessorSettings(5, false, true, 50), Messages.defaults());
        Action gone = returning(Map.of());
        pipeline.addAction(gone, props("gone", 1), 1);
        pipeline.removeAction(gone);
        assertEquals(Outcome.UNKNOWN_ACTION, run("gone").outcome());
    }

    @Test
    void messages_can_be_reworded() {
        Messages custom = MessageCatalogue.withOverrides(Map.of("UNKNOWN_ACTION", "no such endpoint: ask support"));
        pipeline.configure(ProcessorSettings.defaults(), custom);
        assertEquals("no such endpoint: ask support", run("nope").error());
    }

    @Test
    void a_typo_in_message_overrides_is_refused() {
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> MessageCatalogue.withOverrides(Map.of("UNKNOWN_ACTOIN", "x")));
        assertTrue(e.getMessage().contains("UNKNOWN_ACTOIN"));
    }

    @Test
    void typed_param_access_converts_or_answers_422() {
        record Point(int x, int y) {
        }
        pipeline.addAction(new Action() {
            public Inputs inputs() {
                return Inputs.of(Input.optional("n"), Input.optional("p"));
            }

            public Object run(ActionContext c) {
                Point p = c.param("p", Point.class);
                return Map.of("n", c.param("n", Integer.class) + 1, "sum", p == null ? 0 : p.x() + p.y());
            }
        }, props("typed", 1), 1);
        ActionResult ok = run("typed", "n", "41", "p", Map.of("x", 1, "y", 2));
        assertEquals(42, ok.response().get("n"));
        assertEquals(3, ok.response().get("sum"));
        ActionResult bad = run("typed", "n", "forty");
        assertEquals(422, bad.status());
        assertEquals(HeraldError.UNFORMATTABLE_PARAM.status(), bad.status());
        assertTrue(bad.error().contains("\"n\""), bad.error());
    }

    @Test
    void an_upload_param_is_never_built_from_what_a_client_sent() {
        pipeline.addAction(new Action() {
            public Inputs inputs() {
                return Inputs.of(Input.optional("file").type("file"), Input.optional("other"));
            }

            public Object run(ActionContext c) {
                UploadedFile file = c.param("file", UploadedFile.class);
                UploadedFile other = c.param("other", UploadedFile.class);
                return Map.of("file", file == null ? "none" : file.fileName(), "other", other == null ? "none" : other.fileName());
            }
        }, props("takesFile", 1), 1);
        UploadedFile upload = new UploadedFile("file", "a.txt", 1, "text/plain", java.nio.file.Path.of("/tmp/herald-upload"));
        assertEquals("a.txt", run("takesFile", "file", upload).response().get("file"));

        ActionResult path = run("takesFile", "file", "/etc/passwd");
        assertEquals(422, path.status());
        assertEquals("Input for parameter \"file\" is invalid: must be an uploaded file (multipart/form-data)", path.error());

        // An input not typed file, read as one: a JSON object naming a path does not become an upload.
        ActionResult forged = run("takesFile", "other", Map.of("name", "other", "fileName", "x", "size", 1,
                "contentType", "text/plain", "path", "/etc/passwd"));
        assertEquals(422, forged.status());
        assertEquals("Input for parameter \"other\" is invalid: must be an uploaded file (multipart/form-data)", forged.error());
    }

    private static Map<String, Object> withoutError(ActionResult result) {
        Map<String, Object> copy = new java.util.LinkedHashMap<>(result.response());
        copy.remove("error");
        return copy;
    }

    private static Action echo() {
        return new Action() {
            public Inputs inputs() {
                return Inputs.of(Input.required("message"));
            }

            public Object run(ActionContext c) {
                return Map.of("message", c.param("message"));
            }
        };
    }

    private static Action paramsEcho(Inputs inputs) {
        return new Action() {
            public Inputs inputs() {
                return inputs;
            }

            public Object run(ActionContext c) {
                return Map.of("params", new java.util.LinkedHashMap<>(c.params()));
            }
        };
    }

    private static ActionMiddleware recording(String name, List<String> order) {
        return new ActionMiddleware() {
            public void preProcess(ActionInvocation invocation) {
                order.add("pre " + name);
            }

            public void postProcess(ActionInvocation invocation) {
                order.add("post " + name);
            }
        };
    }
}
