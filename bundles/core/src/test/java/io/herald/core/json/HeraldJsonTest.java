package io.herald.core.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.core.JsonProcessingException;

import io.herald.api.UploadedFile;

import org.junit.jupiter.api.Test;

class HeraldJsonTest {

    record Point(int x, int y) {
    }

    enum Color { RED }

    @Test
    void writes_java_time_optionals_records_and_big_decimals_as_a_javascript_client_expects() throws Exception {
        Map<String, Object> value = new LinkedHashMap<>();
        value.put("at", Instant.parse("2026-12-06T22:45:23.120Z"));
        value.put("day", LocalDate.of(2026, 12, 6));
        value.put("took", Duration.ofSeconds(2));
        value.put("price", new BigDecimal("1E+3"));
        value.put("present", Optional.of(1));
        value.put("absent", Optional.empty());
        value.put("point", new Point(1, 2));
        value.put("color", Color.RED);
        value.put("empty", new Object());
        assertEquals("{\"at\":\"2026-12-06T22:45:23.120Z\",\"day\":\"2026-12-06\",\"took\":\"PT2S\",\"price\":1000,"
                + "\"present\":1,\"absent\":null,\"point\":{\"x\":1,\"y\":2},\"color\":\"RED\",\"empty\":{}}",
                HeraldJson.mapper().writeValueAsString(value));
    }

    @Test
    void an_upload_is_written_without_its_path_and_never_read_back_from_json() throws Exception {
        UploadedFile file = new UploadedFile("photo", "a.jpg", 3, "image/jpeg", java.nio.file.Path.of("/tmp/herald-uploads/x"));
        assertEquals("{\"name\":\"photo\",\"fileName\":\"a.jpg\",\"size\":3,\"contentType\":\"image/jpeg\"}",
                HeraldJson.mapper().writeValueAsString(file));
        assertThrows(IllegalArgumentException.class, () -> HeraldJson.mapper().convertValue(
                Map.of("name", "x", "fileName", "x", "size", 1, "contentType", "a/b", "path", "/etc/passwd"), UploadedFile.class));
    }

    @Test
    void plain_keeps_plain_values_as_they_are_and_converts_the_rest_in_place() {
        Map<String, Object> plain = new LinkedHashMap<>(Map.of("a", List.of(1, "x", true), "b", Map.of("c", 2.5)));
        assertSame(plain, HeraldJson.plain(plain), "a plain tree is not copied");

        Map<Object, Object> mixed = new LinkedHashMap<>();
        mixed.put("first", 1);
        mixed.put("at", Instant.parse("2026-12-06T22:45:23Z"));
        mixed.put(7, List.of(new Point(3, 4), "kept"));
        List<Object> list = new ArrayList<>(List.of("a", Optional.of("b")));
        assertEquals(Map.of("first", 1, "at", "2026-12-06T22:45:23Z", "7", List.of(Map.of("x", 3, "y", 4), "kept")),
                HeraldJson.plain(mixed));
        assertEquals(List.of("first", "at", "7"), new ArrayList<>(((Map<?, ?>) HeraldJson.plain(mixed)).keySet()),
                "order kept");
        assertEquals(List.of("a", "b"), HeraldJson.plain(list));
        assertEquals(Map.of("x", 1, "y", 2), HeraldJson.plain(new Point(1, 2)));
    }

    @Test
    void parse_errors_are_worded_for_clients_without_internal_class_names() {
        assertEquals("Unexpected character (',' (code 44)): was expecting double-quote to start field name"
                + " at line 1, column 2", describe("{,}"));
        String tooDeep = "[".repeat(HeraldJson.MAX_NESTING_DEPTH + 1) + "]".repeat(HeraldJson.MAX_NESTING_DEPTH + 1);
        assertTrue(describe(tooDeep).startsWith("the document nests deeper than 100 levels or is too long"),
                describe(tooDeep));
        assertEquals("unexpected data after the end of the JSON document at line 1, column 9", describe("{\"a\":1} 2"));
        String mismatch = describeAs("[1]", Map.class);
        assertTrue(mismatch.startsWith("expected a JSON object"), mismatch);
        for (String message : List.of(describe("{,}"), describe(tooDeep), describe("{\"a\":1} 2"), mismatch)) {
            assertFalse(message.matches(".*(com\\.fasterxml|java\\.util|jackson|Source:).*"), message);
        }
    }

    @Test
    void a_document_nested_to_the_limit_is_read() throws Exception {
        String deep = "[".repeat(HeraldJson.MAX_NESTING_DEPTH) + "]".repeat(HeraldJson.MAX_NESTING_DEPTH);
        assertTrue(HeraldJson.mapper().readValue(deep, Object.class) instanceof List);
    }

    private static String describe(String json) {
        return describeAs(json, Object.class);
    }

    private static String describeAs(String json, Class<?> type) {
        JsonProcessingException e = assertThrows(JsonProcessingException.class,
                () -> HeraldJson.mapper().readValue(json, type));
        return HeraldJson.describe(e);
    }
}
