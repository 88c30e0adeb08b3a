package io.herald.core.internal;

import static io.herald.core.internal.TestActions.call;
import static io.herald.core.internal.TestActions.props;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;

import io.herald.api.Connection;
import io.herald.api.spi.ActionResult;
import io.herald.api.spi.Messages;
import io.herald.api.spi.Outcome;
import io.herald.api.spi.Redactor;
import io.herald.api.spi.TransportConnection;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/** The action log line's request id (text) and fields (JSON logs: key-value pairs and the MDC). */
class ActionLogFieldsTest {

    private final Logger actionLog = (Logger) LoggerFactory.getLogger("io.herald.action");
    private final ListAppender<ILoggingEvent> lines = new ListAppender<>();
    private Level actionLogLevel;

    /** Filters {@code password}, as the param-filtering bundle does. */
    private final Redactor redactor = new Redactor() {
        @Override
        public Map<String, Object> params(Map<String, ?> params) {
            Map<String, Object> out = new LinkedHashMap<>(params);
            out.computeIfPresent("password", (k, v) -> FILTERED);
            return out;
        }

        @Override
        public Map<String, Object> response(Map<String, ?> response) {
            return new LinkedHashMap<>(response);
        }
    };

    @BeforeEach
    void attach() {
        lines.start();
        actionLogLevel = actionLog.getLevel();
        actionLog.setLevel(Level.INFO);
        actionLog.setAdditive(false);
        actionLog.addAppender(lines);
    }

    @AfterEach
    void detach() {
        actionLog.detachAppender(lines);
        actionLog.setLevel(actionLogLevel);
        actionLog.setAdditive(true);
        MDC.clear();
    }

    @Test
    void the_text_line_ends_with_the_request_id_the_transport_gave() {
        Pipeline pipeline = new Pipeline(Messages.defaults(), ProcessorSettings.defaults());
        pipeline.addAction(context -> Map.of("ok", true), props("ping", 1), 1);

        pipeline.runner().run(call("ping").withRequestId("req-7"));
        pipeline.runner().run(call("ping"));
        pipeline.runner().run(call("nope").withRequestId("req-8"));

        List<String> text = lines.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
        assertEquals(3, text.size(), text.toString());
        assertTrue(text.get(0).contains(" action=ping ") && text.get(0).contains(" status=200 "), text.get(0));
        assertTrue(text.get(0).endsWith(" requestId=req-7"), text.get(0));
        assertFalse(text.get(1).contains("requestId="), "no id, no field: " + text.get(1));
        assertTrue(text.get(2).contains("status=404") && text.get(2).endsWith(" requestId=req-8"),
                "a refused call too: " + text.get(2));
        assertTrue(lines.list.get(0).getKeyValuePairs() == null || lines.list.get(0).getKeyValuePairs().isEmpty(),
                "text logs build no fields");
    }

    @Test
    void the_text_line_escapes_the_redacted_params_once() {
        Connection connection = new TransportConnection("fp-3", Connection.WEB, "10.0.0.9", 4000, "fp");
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("message", "two\nlines");
        params.put("password", "s3cret");
        ActionResult result = new ActionResult(Outcome.COMPLETE, 200, "echo", 1, Map.of(), Map.of(), 1);

        ActionLog.completed(result, connection, params, "info", redactor, null, null, null);

        String line = lines.list.get(0).getFormattedMessage();
        assertTrue(line.contains(" params={message=two\\nlines, password=" + Redactor.FILTERED + "} "), line);
        assertFalse(line.contains("\n"), "one line: " + line);
    }

    @Test
    void a_json_line_has_the_call_as_fields_unescaped_with_the_params_redacted() {
        Connection connection = new TransportConnection("fp-1", Connection.WEB, "10.0.0.9", 4000, "fp");
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("message", "two\nlines");
        params.put("password", "s3cret");
        ActionResult result = new ActionResult(Outcome.GENERIC_ERROR, 422, "echo\r\n", 2, Map.of("error", "bad"), Map.of(),
                1_234_567);

        ActionLog.structured(result, connection, params, "info", redactor, null, null, false);

        ILoggingEvent event = lines.list.get(0);
        assertEquals(Level.INFO, event.getLevel());
        assertEquals("[action @ web] echo\r\n", event.getFormattedMessage(), "the JSON encoder escapes, once");
        Map<String, Object> fields = fields(event);
        assertEquals("echo\r\n", fields.get("action"));
        assertEquals(2, fields.get("version"));
        assertEquals(422, fields.get("status"));
        assertEquals(1.234, fields.get("durationMs"));
        assertEquals("10.0.0.9", fields.get("to"));
        assertEquals(Map.of("message", "two\nlines", "password", Redactor.FILTERED), fields.get("params"));
        assertEquals("bad", fields.get("error"));
        assertFalse(fields.containsKey("reference"));
        assertFalse(fields.toString().contains("s3cret"));
    }

    @Test
    void a_server_fault_is_an_error_with_its_reference_and_stack_trace() {
        Connection connection = new TransportConnection("fp-2", Connection.TCP, "10.0.0.9", 4000, "fp");
        ActionResult result = new ActionResult(Outcome.GENERIC_ERROR, 500, "boom", 1, Map.of("error", "oops"), Map.of(), 1);
        IllegalStateException failure = new IllegalStateException("the action threw");

        ActionLog.structured(result, connection, Map.of("a", 1), "debug", null, failure, "ref-1", true);

        ILoggingEvent event = lines.list.get(0);
        assertEquals(Level.ERROR, event.getLevel());
        assertEquals("[action @ tcp] boom", event.getFormattedMessage());
        assertEquals("ref-1", fields(event).get("reference"));
        assertEquals("[a]", fields(event).get("params"), "without a redactor, only the names");
        assertSame(failure, ((ch.qos.logback.classic.spi.ThrowableProxy) event.getThrowableProxy()).getThrowable());
    }

    @Test
    void the_call_ids_are_in_the_mdc_while_it_runs_and_an_inner_call_gives_the_outer_ones_back() {
        try (CallLogContext outer = CallLogContext.enter("conn-1", "req-1")) {
            assertEquals("req-1", MDC.get(CallLogContext.REQUEST_ID));
            try (CallLogContext inner = CallLogContext.enter("conn-2", null)) {
                assertEquals("conn-2", MDC.get(CallLogContext.CONNECTION_ID));
                assertNull(MDC.get(CallLogContext.REQUEST_ID), "an inner call without an id has none");
            }
            assertEquals("conn-1", MDC.get(CallLogContext.CONNECTION_ID));
            assertEquals("req-1", MDC.get(CallLogContext.REQUEST_ID));
        }
        assertNull(MDC.get(CallLogContext.CONNECTION_ID));
        assertNull(MDC.get(CallLogContext.REQUEST_ID));
    }

    private static Map<String, Object> fields(ILoggingEvent event) {
        return event.getKeyValuePairs().stream().collect(Collectors.toMap(pair -> pair.key, pair -> pair.value,
                (a, b) -> b, LinkedHashMap::new));
    }
}
