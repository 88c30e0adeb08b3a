package io.herald.launcher.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class JsonTextTest {

    @Test
    void objects_keep_their_key_order_and_values_their_json_types() {
        Object parsed = JsonText.parse(" {\"z\": 1, \"a\": [true, false, null, -2.5e1, \"x\"], \"m\": {\"k\": 9007199254740993}} ");

        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("z", 1L);
        expected.put("a", Arrays.asList(true, false, null, -25.0, "x"));
        expected.put("m", Map.of("k", 9007199254740993L));
        assertEquals(expected, parsed);
        assertEquals(List.of("z", "a", "m"), List.copyOf(((Map<?, ?>) parsed).keySet()));
    }

    @Test
    void numbers_beyond_long_become_doubles_as_in_javascript() {
        assertEquals(1.2345678901234567e19, JsonText.parse("12345678901234567890"));
        assertEquals(0L, JsonText.parse("-0"));
        assertEquals(0.5, JsonText.parse("0.5"));
    }

    @Test
    void strings_unescape_every_json_escape() {
        assertEquals("q\" b\\ s/ \b\f\n\r\t é €", JsonText.parse("\"q\\\" b\\\\ s\\/ \\b\\f\\n\\r\\t \\u00e9 \\u20AC\""));
    }

    @Test
    void a_repeated_key_keeps_its_last_value_as_json_parse_does() {
        assertEquals(Map.of("a", 2L), JsonText.parse("{\"a\":1,\"a\":2}"));
    }

    @Test
    void errors_say_what_and_where() {
        assertEquals("unexpected '}', expected a key in double quotes at position 7",
                assertThrows(IllegalArgumentException.class, () -> JsonText.parse("{\"n\":1,}")).getMessage());
        assertEquals("unexpected end of input, expected ',' or '}' at position 6",
                assertThrows(IllegalArgumentException.class, () -> JsonText.parse("{\"n\":1")).getMessage());
        assertEquals("unexpected 'x' after the value at position 3",
                assertThrows(IllegalArgumentException.class, () -> JsonText.parse("{} x")).getMessage());
        assertEquals("unexpected ''', expected a value at position 0",
                assertThrows(IllegalArgumentException.class, () -> JsonText.parse("'a'")).getMessage());
        assertEquals("unterminated string at position 5",
                assertThrows(IllegalArgumentException.class, () -> JsonText.parse("{\"a\":\"b")).getMessage());
        assertEquals("a number needs digits after '.' at position 2",
                assertThrows(IllegalArgumentException.class, () -> JsonText.parse("1.")).getMessage());
        assertEquals("invalid escape \\x at position 1",
                assertThrows(IllegalArgumentException.class, () -> JsonText.parse("\"\\x\"")).getMessage());
        assertEquals("control character U+000A in a string (escape it) at position 2",
                assertThrows(IllegalArgumentException.class, () -> JsonText.parse("\"a\nb\"")).getMessage());
        assertEquals("unexpected end of input, expected a value at position 0",
                assertThrows(IllegalArgumentException.class, () -> JsonText.parse("")).getMessage());
        assertEquals("unexpected 'T', expected a value at position 0",
                assertThrows(IllegalArgumentException.class, () -> JsonText.parse("True")).getMessage());
    }

    @Test
    void writes_as_json_stringify_does() {
        Map<String, Object> job = new LinkedHashMap<>();
        job.put("class", "send/Mail");
        job.put("queue", "q\"1");
        job.put("args", List.of(Map.of("n", 1L), Arrays.asList(2.0, 2.5, null, true, "é\n\u0001")));
        assertEquals("{\"class\":\"send/Mail\",\"queue\":\"q\\\"1\",\"args\":[{\"n\":1},[2,2.5,null,true,\"é\\n\\u0001\"]]}",
                JsonText.write(job));
        assertEquals("null", JsonText.write(Double.NaN));
        assertNull(JsonText.parse("null"));
    }

    @Test
    void what_it_writes_it_reads_back() {
        Object value = JsonText.parse("{\"a\":[1,-2.75,\"\\\"\\\\\",{\"b\":null}],\"c\":false}");
        assertEquals(value, JsonText.parse(JsonText.write(value)));
    }
}
