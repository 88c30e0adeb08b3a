package io.herald.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.Test;

/**
 * {@code HERALD_LOG_FORMAT=json} on the built distribution: every line of the node's log file and of its standard output
 * is a JSON object with the node id and role; each action's line has the connection id, action, status, duration and
 * request id as fields (the client's {@code X-Request-Id}, echoed back); a secret param is {@code [FILTERED]}; a node
 * with a title writes {@code log/<title>.log}; a format that is neither {@code text} nor {@code json} stops the start.
 */
class JsonLogsIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration START = Duration.ofSeconds(60);
    private static final Duration SETTLE = Duration.ofSeconds(30);

    @Test
    void every_line_is_json_with_the_node_and_each_action_line_has_the_call_as_fields() throws Exception {
        String password = "pw-" + UUID.randomUUID();
        Path home = HeraldProcess.newHome(NodeLifecycleIT.FIXTURE_JAR);
        Map<String, String> env = Map.of("HERALD_TITLE", "json-it", "HERALD_LOG_FORMAT", "json");
        try (HeraldProcess herald = HeraldProcess.startIn(home, env)) {
            herald.awaitStarted(START);
            herald.awaitStatus("/api/secretParams?mode=ok", 200, SETTLE);

            HttpResponse<String> tagged = herald.send(HttpRequest.newBuilder(herald.uri("/api/status"))
                    .header("X-Request-Id", "json-it-req-1").header("X-API-Key", HeraldProcess.ADMIN_SECRET));
            assertEquals(200, tagged.statusCode(), tagged.body());
            assertEquals("json-it-req-1", tagged.headers().firstValue("X-Request-Id").orElse(null), "echoed");
            HttpResponse<String> failing = herald.getAnonymous("/api/secretParams?mode=fail&password=" + password);
            assertEquals(403, failing.statusCode(), failing.body());
            String failingId = failing.headers().firstValue("X-Request-Id").orElseThrow();
            assertEquals(500, herald.getAnonymous("/api/secretParams?mode=throw&record=two%0Alines").statusCode());
            HttpResponse<String> refused = herald.send(HttpRequest.newBuilder(herald.uri("/api/noSuchAction"))
                    .header("X-Request-Id", "bad id\"<>"));
            assertEquals(404, refused.statusCode());
            String replacedId = refused.headers().firstValue("X-Request-Id").orElseThrow();
            assertFalse(replacedId.contains(" "), "an unsafe id is replaced: " + replacedId);

            Path file = home.resolve("log/json-it.log");
            // Lines are appended in the order of the calls: once the last call's line is there, so are the others'.
            List<JsonNode> lines = awaitLines(file, all -> actionLines(all).stream()
                    .anyMatch(line -> line.path("requestId").asText().equals(replacedId)));
            assertFalse(Files.exists(home.resolve("log/herald.log")), "the node writes the file named by its title");
            assertEveryLineHasTheNode(lines, file.toString());

            List<JsonNode> actions = actionLines(lines);
            for (JsonNode line : actions) {
                for (String field : List.of("connectionId", "action", "status", "durationMs", "requestId")) {
                    assertTrue(line.hasNonNull(field), field + " in " + line);
                }
                assertTrue(line.path("status").isInt() && line.path("durationMs").isNumber(), line.toString());
            }
            JsonNode status = only(actions, line -> line.path("requestId").asText().equals("json-it-req-1"));
            assertEquals("status", status.path("action").asText());
            assertEquals(200, status.path("status").asInt());
            assertTrue(status.path("message").asText().startsWith("[action @ web]"), status.toString());

            JsonNode failed = only(actions, line -> line.path("requestId").asText().equals(failingId));
            assertEquals("secretParams", failed.path("action").asText());
            assertEquals(403, failed.path("status").asInt());
            assertEquals("[FILTERED]", failed.path("params").path("password").asText(), failed.toString());
            assertTrue(failed.path("connectionId").asText().endsWith("-" + failingId),
                    "the web connection id ends with the call's messageId: " + failed);

            JsonNode thrown = only(actions, line -> line.path("status").asInt() == 500);
            assertEquals("ERROR", thrown.path("level").asText());
            assertTrue(thrown.path("stack_trace").asText().contains("the fixture threw, as asked"), thrown.toString());
            assertTrue(thrown.hasNonNull("reference"), thrown.toString());
            assertEquals("two\nlines", thrown.path("params").path("record").asText(),
                    "a param's newline is escaped once, by the JSON encoder: " + thrown);

            JsonNode unknown = only(actions, line -> line.path("requestId").asText().equals(replacedId));
            assertEquals(404, unknown.path("status").asInt());

            assertFalse(Files.readString(file).contains(password), "the secret is not in the log file");
            herald.stopProcess();
            List<JsonNode> output = parseEveryLine(herald.output(), "standard output");
            assertEveryLineHasTheNode(output, "standard output");
            assertTrue(output.stream().anyMatch(line -> line.path("message").asText().contains(" started: role=all")),
                    "the launcher's own lines are JSON too");
            assertTrue(output.stream().anyMatch(line -> line.path("message").asText().equals("herald: stopped")));
            assertTrue(actionLines(output).size() >= 5, "the console has the action lines in development");
            assertFalse(herald.output().contains(password), "the secret is not on standard output");
        }
    }

    @Test
    void in_production_without_a_title_the_node_id_is_the_server_id_and_the_file_is_herald_log() throws Exception {
        Path home = HeraldProcess.newHome();
        Map<String, String> env = Map.of("HERALD_ENV", "production", "HERALD_SERVER_TOKEN", "json-it-" + UUID.randomUUID(),
                "HERALD_LOG_FORMAT", "json");
        try (HeraldProcess herald = HeraldProcess.startIn(home, env)) {
            herald.awaitStarted(START);
            String serverId = JSON.readTree(herald.get("/api/status").body()).path("id").asText();
            assertFalse(serverId.isEmpty());

            // Production: INFO lines go to the file through the batching appender, the console has warnings only.
            Path file = home.resolve("log/herald.log");
            List<JsonNode> lines = awaitLines(file, all -> !actionLines(all).isEmpty());
            for (JsonNode line : lines) {
                assertEquals(serverId, line.path("nodeId").asText(), "the id status reports: " + line);
                assertEquals("all", line.path("role").asText(), line.toString());
            }
            assertEquals("status", actionLines(lines).get(0).path("action").asText());
        }
    }

    @Test
    void a_log_format_that_is_neither_text_nor_json_stops_the_start_with_the_reason() throws Exception {
        try (HeraldProcess herald = HeraldProcess.start(Map.of("HERALD_TITLE", "json-bad-it", "HERALD_LOG_FORMAT", "jsonl"))) {
            assertEquals(1, herald.awaitExit(START), herald.output());
            assertTrue(herald.output().contains("herald: HERALD_LOG_FORMAT=jsonl is not a log format: use text or json"),
                    herald.output());
        }
    }

    /** Waits until the file's lines, each parsed, satisfy {@code ready}; fails on a line that is not JSON. */
    private static List<JsonNode> awaitLines(Path file, Predicate<List<JsonNode>> ready) throws Exception {
        long deadline = System.nanoTime() + SETTLE.toNanos();
        List<JsonNode> lines = List.of();
        while (System.nanoTime() < deadline) {
            if (Files.exists(file)) {
                String text = Files.readString(file);
                // Only whole lines: the last one may still be being written.
                lines = parseEveryLine(text.substring(0, text.lastIndexOf('\n') + 1), file.toString());
                if (ready.test(lines)) {
                    return lines;
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError(file + " did not get the expected lines within " + SETTLE + ": " + lines);
    }

    private static List<JsonNode> parseEveryLine(String text, String where) {
        List<JsonNode> parsed = new ArrayList<>();
        for (String line : text.split("\n", -1)) {
            if (line.isEmpty()) {
                continue;
            }
            try {
                JsonNode node = JSON.readTree(line);
                assertTrue(node.isObject(), "a JSON object per line in " + where + ": " + line);
                parsed.add(node);
            } catch (Exception e) {
                throw new AssertionError("a line of " + where + " is not JSON (" + e.getMessage() + "): " + line);
            }
        }
        assertFalse(parsed.isEmpty(), "no lines in " + where);
        return parsed;
    }

    private static void assertEveryLineHasTheNode(List<JsonNode> lines, String where) {
        for (JsonNode line : lines) {
            assertEquals("json-it", line.path("nodeId").asText(), "node id on every line of " + where + ": " + line);
            assertEquals("all", line.path("role").asText(), "role on every line of " + where + ": " + line);
        }
    }

    private static List<JsonNode> actionLines(List<JsonNode> lines) {
        return lines.stream().filter(line -> line.path("logger_name").asText().equals("io.herald.action")).toList();
    }

    private static JsonNode only(List<JsonNode> lines, Predicate<JsonNode> which) {
        List<JsonNode> matching = lines.stream().filter(which).toList();
        assertEquals(1, matching.size(), "one matching line among " + lines);
        return matching.get(0);
    }
}
