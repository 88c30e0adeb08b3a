package io.herald.launcher.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.herald.launcher.logging.LogFormatEncoder;

class JsonConsoleTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @AfterEach
    void clearProperties() {
        System.clearProperty(LogFormatEncoder.FORMAT_PROPERTY);
        System.clearProperty(LogFormatEncoder.NODE_ID_PROPERTY);
    }

    @Test
    void with_text_logs_the_console_is_left_as_it_is() {
        PrintStream out = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        assertSame(out, JsonConsole.wrap(out, false, "text"));
    }

    @Test
    void with_json_logs_each_console_line_is_a_json_event_of_the_launcher() throws Exception {
        System.setProperty(LogFormatEncoder.FORMAT_PROPERTY, "json");
        System.setProperty(LogFormatEncoder.NODE_ID_PROPERTY, "web-1");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream target = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        PrintStream out = JsonConsole.wrap(target, false, "json");
        PrintStream err = JsonConsole.wrap(target, true, "json");

        out.println("Herald 1.0 started: role=web env=production id=web-1 in 900 ms");
        err.print("herald: stopped\r\n");
        out.print("not a whole line yet");

        List<String> lines = bytes.toString(StandardCharsets.UTF_8).lines().toList();
        assertEquals(2, lines.size(), lines.toString());
        JsonNode started = JSON.readTree(lines.get(0));
        assertEquals("Herald 1.0 started: role=web env=production id=web-1 in 900 ms", started.path("message").asText());
        assertEquals("io.herald.launcher", started.path("logger_name").asText());
        assertEquals("INFO", started.path("level").asText());
        assertEquals("web-1", started.path("nodeId").asText());
        JsonNode stopped = JSON.readTree(lines.get(1));
        assertEquals("herald: stopped", stopped.path("message").asText());
        assertEquals("WARN", stopped.path("level").asText(), "standard error's lines are warnings");
    }
}
