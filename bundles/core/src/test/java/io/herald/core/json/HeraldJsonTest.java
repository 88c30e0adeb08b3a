package io.herald.core.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.BufferRecycler;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import com.fasterxml.jackson.core.util.RecyclerPool;

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
        assertTrue(describe(tooDeep).startsWith("the document nests deeper than 100 levels"),
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

    @Test
    void each_limit_is_named_when_a_document_breaks_it() {
        assertTrue(describe("[" + "9".repeat(HeraldJson.MAX_NUMBER_LENGTH + 1) + "]")
                .startsWith("a number is longer than 1000 characters"));
        assertTrue(describe("[\"" + "a".repeat(HeraldJson.MAX_STRING_LENGTH + 1) + "\"]")
                .startsWith("a string is longer than 1048576 characters"));
        assertTrue(describe("{\"" + "a".repeat(HeraldJson.MAX_NAME_LENGTH + 1) + "\":1}")
                .startsWith("a property name is longer than 10000 characters"));
    }

    @Test
    void untrusted_documents_must_be_strict_utf8_with_finite_numbers() throws Exception {
        assertEquals(Map.of("a", "é"), HeraldJson.readUntrusted("{\"a\":\"é\"}".getBytes(StandardCharsets.UTF_8)));
        assertEquals(Map.of("a", "\uD83D\uDE00"),
                HeraldJson.readUntrusted("{\"a\":\"\uD83D\uDE00\"}".getBytes(StandardCharsets.UTF_8)));
        for (byte[] bad : List.of(bytes(0xC0, 0xAF), bytes(0xE0, 0x80, 0xAF), bytes(0xED, 0xA0, 0x80), bytes(0xFF),
                bytes(0xF4, 0x90, 0x80, 0x80), bytes(0xC3), bytes(0x80))) {
            byte[] json = new byte[bad.length + 8];
            System.arraycopy("{\"a\":\"".getBytes(StandardCharsets.US_ASCII), 0, json, 0, 6);
            System.arraycopy(bad, 0, json, 6, bad.length);
            json[bad.length + 6] = '"';
            json[bad.length + 7] = '}';
            JsonProcessingException e = assertThrows(JsonProcessingException.class, () -> HeraldJson.readUntrusted(json));
            assertEquals("the document is not valid UTF-8 (byte 7)", HeraldJson.describe(e));
        }
        JsonProcessingException overflow = assertThrows(JsonProcessingException.class,
                () -> HeraldJson.readUntrusted("{\"a\":[1e999999999]}".getBytes(StandardCharsets.UTF_8)));
        assertEquals("a number is too large (beyond the range of a double)", HeraldJson.describe(overflow));
        assertEquals(Map.of("a", 1.5e300), HeraldJson.readUntrusted("{\"a\":1.5e300}".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void buffers_outlive_the_thread_that_wrote_with_them() throws Exception {
        // Requests run on short-lived virtual threads (Java 21+): buffers kept per thread were allocated per request.
        RecyclerPool<BufferRecycler> pool = HeraldJson.mapper().getFactory()._getRecyclerPool();
        assertFalse(pool instanceof JsonRecyclerPools.ThreadLocalPool, pool.getClass().getName());
        byte[][] written = new byte[1][];
        Thread writer = new Thread(() -> {
            try {
                written[0] = HeraldJson.mapper().writeValueAsBytes(Map.of("message", "hello"));
            } catch (JsonProcessingException e) {
                throw new AssertionError(e);
            }
        });
        writer.start();
        writer.join();
        assertEquals("{\"message\":\"hello\"}", new String(written[0], StandardCharsets.UTF_8));
        assertTrue(pool.pooledCount() > 0, "the writer's buffers went back to the shared pool");
    }

    private static byte[] bytes(int... values) {
        byte[] out = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = (byte) values[i];
        }
        return out;
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
