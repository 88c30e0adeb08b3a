package io.herald.middleware.params.internal;

import static io.herald.middleware.params.internal.ParamRedactorTest.ordered;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.herald.api.Action;
import io.herald.api.Connection;
import io.herald.api.Input;
import io.herald.api.Inputs;
import io.herald.api.spi.ActionRequest;
import io.herald.api.spi.ActionResult;
import io.herald.api.spi.HeraldError;
import io.herald.api.spi.Messages;
import io.herald.api.spi.TransportConnection;
import io.herald.core.ActionPipeline;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;

/** The limits middleware and the redactor in the core's real pipeline. */
class ParamLimitsPipelineTest {

    private final Logger actionLog = (Logger) LoggerFactory.getLogger("io.herald.action");
    private final ListAppender<ILoggingEvent> lines = new ListAppender<>();
    private int ran;

    private final Action echo = new Action() {
        @Override
        public Inputs inputs() {
            return Inputs.of(Input.optional("user"), Input.optional("password"), Input.optional("data"));
        }

        @Override
        public Object run(io.herald.api.ActionContext context) {
            ran++;
            return Map.of("user", String.valueOf(context.param("user")));
        }
    };

    private ActionPipeline pipeline(ParamLimits limits) {
        return ActionPipeline.builder()
                .action(echo, Map.of("herald.action.name", "echo"))
                .middleware(new ParamLimitsMiddleware(limits, Messages::defaults), ParamLimitsMiddleware.PROPERTIES)
                .redactor(new ParamRedactor(ParamsSettings.DEFAULTS.redaction()))
                .build();
    }

    private static ActionResult run(ActionPipeline pipeline, Map<String, Object> params) {
        return pipeline.run(ActionRequest.of("echo", params,
                new TransportConnection("c1", Connection.WEB, "127.0.0.1", 40000, "fp")));
    }

    @AfterEach
    void detach() {
        actionLog.detachAppender(lines);
    }

    @Test
    void params_within_the_limits_pass_and_the_action_runs() {
        ActionResult result = run(pipeline(ParamLimits.DEFAULTS), ordered("user", "ada", "data", List.of(Map.of("a", 1))));
        assertEquals(200, result.status());
        assertEquals("ada", result.response().get("user"));
        assertEquals(1, ran);
    }

    @Test
    void too_many_params_answer_422_before_the_action_runs() {
        Map<String, Object> params = new LinkedHashMap<>();
        for (int i = 0; i < 5; i++) {
            params.put("p" + i, i);
        }
        // apiVersion, which the core adds, counts too: 6 params
        ActionResult result = run(pipeline(new ParamLimits(5, 1000, 5)), params);
        assertEquals(422, result.status());
        assertEquals("too many params: at most 5 are accepted", result.error());
        assertEquals(0, ran);
        params.remove("p4");
        assertEquals(200, run(pipeline(new ParamLimits(5, 1000, 5)), params).status());
    }

    @Test
    void a_string_longer_than_the_limit_is_refused_naming_the_param() {
        ParamLimits limits = new ParamLimits(100, 20, 5);
        ActionResult result = run(pipeline(limits), ordered("user", "x".repeat(17)));
        assertEquals(422, result.status());
        assertEquals("user is too long: at most 20 bytes are accepted", result.error());
        // 4 bytes of name + 16 of value: just within
        assertEquals(200, run(pipeline(limits), ordered("user", "x".repeat(16))).status());
        // multi-byte characters count as their UTF-8 bytes: "é" is 2
        assertEquals(422, run(pipeline(limits), ordered("user", "é".repeat(9))).status());
        assertEquals(200, run(pipeline(limits), ordered("user", "é".repeat(8))).status());
    }

    @Test
    void the_strings_nested_in_a_param_count_towards_its_length() {
        ParamLimits limits = new ParamLimits(100, 20, 5);
        ActionResult result = run(pipeline(limits), ordered("data", List.of("12345", "12345", ordered("key", "12345"))));
        assertEquals(422, result.status());
        assertEquals("data is too long: at most 20 bytes are accepted", result.error());
        assertEquals(0, ran);
    }

    @Test
    void a_value_nested_deeper_than_the_limit_is_refused_naming_the_param() {
        ParamLimits limits = new ParamLimits(100, 1000, 3);
        Object threeDeep = List.of(Map.of("a", List.of(1)));
        Object fourDeep = List.of(Map.of("a", List.of(List.of(1))));
        assertEquals(200, run(pipeline(limits), ordered("data", threeDeep)).status());
        ActionResult result = run(pipeline(limits), ordered("data", fourDeep));
        assertEquals(422, result.status());
        assertEquals("data is nested too deeply: at most 3 levels are accepted", result.error());
    }

    @Test
    void a_very_deep_value_is_refused_without_walking_all_of_it() {
        Object deep = 1;
        for (int i = 0; i < 100_000; i++) {
            List<Object> level = new ArrayList<>(1);
            level.add(deep);
            deep = level;
        }
        ActionResult result = run(pipeline(ParamLimits.DEFAULTS), ordered("data", deep));
        assertEquals(422, result.status());
        assertEquals("data is nested too deeply: at most 32 levels are accepted", result.error());
    }

    @Test
    void the_name_in_a_refusal_is_cut_and_escaped() {
        String name = "evil\nname" + "y".repeat(200);
        ActionResult result = run(pipeline(new ParamLimits(100, 50, 5)), ordered(name, "v"));
        assertEquals(422, result.status());
        assertTrue(result.error().startsWith("evil\\nname"), result.error());
        assertFalse(result.error().contains("\n"), result.error());
        assertTrue(result.error().contains("... (209 chars) is too long"), result.error());
    }

    @Test
    void the_refusal_is_worded_by_the_catalogue_as_it_is_now() {
        // the core's Messages service, reworded by io.herald.errors (TOO_MANY_PARAMS = max {0})
        Messages reworded = (error, args) -> Messages.fill(error == HeraldError.TOO_MANY_PARAMS ? "max {0}"
                : error.defaultMessage(), args);
        ActionPipeline pipeline = ActionPipeline.builder()
                .action(echo, Map.of("herald.action.name", "echo"))
                .middleware(new ParamLimitsMiddleware(new ParamLimits(1, 100, 5), () -> reworded),
                        ParamLimitsMiddleware.PROPERTIES)
                .build();
        assertEquals("max 1", run(pipeline, ordered("user", "a", "password", "b")).error());
    }

    @Test
    void the_action_log_line_shows_filtered_values_through_the_redactor() {
        actionLog.setLevel(ch.qos.logback.classic.Level.INFO);
        lines.start();
        actionLog.addAppender(lines);
        run(pipeline(ParamLimits.DEFAULTS), ordered("user", "ada", "password", "hunter2"));
        assertEquals(1, lines.list.size());
        String line = lines.list.get(0).getFormattedMessage();
        assertTrue(line.contains("params={user=ada, password=[FILTERED], apiVersion=1}"), line);
        assertFalse(line.contains("hunter2"), line);
    }
}
