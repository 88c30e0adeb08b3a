package io.herald.launcher.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;

class LogFormatEncoderTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> PROPERTIES = List.of(LogFormatEncoder.FORMAT_PROPERTY,
            LogFormatEncoder.NODE_ID_PROPERTY, LogFormatEncoder.ROLE_PROPERTY);

    private final ByteArrayOutputStream written = new ByteArrayOutputStream();

    @AfterEach
    void clearProperties() {
        PROPERTIES.forEach(System::clearProperty);
        MDC.clear();
    }

    /** A logger writing through a LogFormatEncoder started with the system properties as they are now. */
    private Logger logger(String pattern) {
        LoggerContext context = new LoggerContext();
        context.setMDCAdapter(MDC.getMDCAdapter());
        LogFormatEncoder encoder = new LogFormatEncoder();
        encoder.setContext(context);
        encoder.setPattern(pattern);
        encoder.start();
        OutputStreamAppender<ILoggingEvent> appender = new OutputStreamAppender<>();
        appender.setContext(context);
        appender.setEncoder(encoder);
        appender.setOutputStream(written);
        appender.start();
        Logger logger = context.getLogger("io.herald.action");
        logger.setLevel(Level.INFO);
        logger.addAppender(appender);
        return logger;
    }

    private List<String> lines() {
        return written.toString(StandardCharsets.UTF_8).lines().toList();
    }

    @Test
    void json_lines_carry_node_id_role_mdc_and_key_value_pairs_as_fields() throws Exception {
        System.setProperty(LogFormatEncoder.FORMAT_PROPERTY, "json");
        System.setProperty(LogFormatEncoder.NODE_ID_PROPERTY, "web \"1\"");
        System.setProperty(LogFormatEncoder.ROLE_PROPERTY, "web");
        Logger logger = logger(null);
        MDC.put("requestId", "req-1");
        logger.atInfo().setMessage("[action @ web] echo").addKeyValue("action", "echo").addKeyValue("status", 422)
                .addKeyValue("durationMs", 1.25).addKeyValue("params", Map.of("password", "[FILTERED]")).log();
        logger.error("failed", new IllegalStateException("boom"));

        List<String> lines = lines();
        assertEquals(2, lines.size(), written.toString(StandardCharsets.UTF_8));
        JsonNode action = JSON.readTree(lines.get(0));
        assertEquals("web \"1\"", action.path("nodeId").asText());
        assertEquals("web", action.path("role").asText());
        assertEquals("[action @ web] echo", action.path("message").asText());
        assertEquals("req-1", action.path("requestId").asText(), "from the MDC");
        assertEquals("echo", action.path("action").asText());
        assertEquals(422, action.path("status").asInt());
        assertTrue(action.path("status").isNumber(), "numbers stay numbers: " + action);
        assertEquals(1.25, action.path("durationMs").asDouble());
        assertEquals("[FILTERED]", action.path("params").path("password").asText(), "a map is an object: " + action);
        assertEquals("INFO", action.path("level").asText());
        assertTrue(action.hasNonNull("@timestamp"));

        JsonNode failure = JSON.readTree(lines.get(1));
        assertEquals("ERROR", failure.path("level").asText());
        assertTrue(failure.path("stack_trace").asText().contains("java.lang.IllegalStateException: boom"), failure.toString());
        assertEquals("web \"1\"", failure.path("nodeId").asText(), "every line has the node id");
    }

    @Test
    void control_characters_are_escaped_once_by_the_json_encoder() throws Exception {
        System.setProperty(LogFormatEncoder.FORMAT_PROPERTY, "json");
        Logger logger = logger(null);
        String hostile = "x\r\n{\"forged\":true}\u0000\t\u2028end";
        logger.atInfo().setMessage(hostile).addKeyValue("action", hostile).log();

        List<String> lines = lines();
        assertEquals(1, lines.size(), "one line, whatever the text: " + lines);
        JsonNode line = JSON.readTree(lines.get(0));
        assertEquals(hostile, line.path("message").asText(), "read back as it was logged: not escaped twice");
        assertEquals(hostile, line.path("action").asText());
        assertFalse(line.has("forged"));
        assertEquals("-", line.path("nodeId").asText(), "a node id even when the launcher set none");
    }

    @Test
    void text_is_the_default_and_uses_the_pattern() {
        Logger logger = logger("%level %logger - %msg%n");
        logger.atInfo().setMessage("hello").addKeyValue("action", "echo").log();

        assertEquals(List.of("INFO io.herald.action - hello"), lines());
    }
}
