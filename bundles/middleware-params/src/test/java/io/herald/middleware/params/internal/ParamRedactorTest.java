package io.herald.middleware.params.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.herald.api.spi.Redactor;

import org.junit.jupiter.api.Test;

class ParamRedactorTest {

    private final ParamRedactor redactor = new ParamRedactor(ParamsSettings.DEFAULTS.redaction());

    @Test
    void a_filtered_param_shows_as_filtered_and_the_others_as_they_are() {
        Map<String, Object> params = ordered("user", "ada", "password", "hunter2", "n", 3, "ok", true, "none", null);
        assertEquals(ordered("user", "ada", "password", Redactor.FILTERED, "n", 3, "ok", true, "none", null),
                redactor.params(params));
    }

    @Test
    void the_default_patterns_match_in_any_case_and_by_suffix() {
        Map<String, Object> params = ordered("PASSWORD", "a", "accessToken", "b", "clientSecret", "c", "newPassword", "d",
                "Authorization", "e", "apikey", "f", "tokenizer", "g");
        Map<String, Object> shown = redactor.params(params);
        for (String key : List.of("PASSWORD", "accessToken", "clientSecret", "newPassword", "Authorization", "apikey")) {
            assertEquals(Redactor.FILTERED, shown.get(key), key);
        }
        assertEquals("g", shown.get("tokenizer"));
    }

    @Test
    void keys_are_filtered_at_any_depth_in_maps_and_lists() {
        Map<String, Object> params = ordered("user", ordered("name", "ada", "password", "p1",
                "devices", List.of(ordered("id", 1, "token", "t1"), ordered("id", 2, "token", "t2"))));
        Map<String, Object> expected = ordered("user", ordered("name", "ada", "password", Redactor.FILTERED,
                "devices", List.of(ordered("id", 1, "token", Redactor.FILTERED), ordered("id", 2, "token", Redactor.FILTERED))));
        assertEquals(expected, redactor.params(params));
    }

    @Test
    void a_filtered_key_hides_a_whole_nested_value() {
        Map<String, Object> shown = redactor.params(ordered("secret", ordered("a", 1, "b", List.of(1, 2))));
        assertEquals(Redactor.FILTERED, shown.get("secret"));
    }

    @Test
    void the_input_is_never_changed() {
        Map<String, Object> inner = ordered("password", "p1", "list", new ArrayList<>(List.of("x".repeat(1000))));
        Map<String, Object> params = ordered("user", inner, "token", "t");
        Map<String, Object> copyBefore = deepCopy(params);
        Map<String, Object> shown = redactor.params(params);
        assertEquals(copyBefore, params);
        assertEquals("p1", inner.get("password"));
        // and the result shares no mutable container with the input
        @SuppressWarnings("unchecked")
        Map<String, Object> shownInner = (Map<String, Object>) shown.get("user");
        shownInner.put("added", 1);
        assertFalse(inner.containsKey("added"));
    }

    @Test
    void long_strings_are_cut_and_control_characters_left_for_the_log_encoder_to_escape_once() {
        RedactionRules rules = new RedactionRules(KeyPatterns.NONE, KeyPatterns.NONE, 5, 10, 8);
        Map<String, Object> shown = new ParamRedactor(rules).params(ordered("s", "abcdefghij", "line", "a\nb",
                "key\nwith newline", 1));
        assertEquals("abcde... (10 chars)", shown.get("s"));
        assertEquals("a\nb", shown.get("line"));
        assertTrue(shown.containsKey("key\nw... (16 chars)"), shown.toString());
    }

    @Test
    void long_lists_and_arrays_are_cut_saying_how_many_items_were_left_out() {
        RedactionRules rules = new RedactionRules(KeyPatterns.NONE, KeyPatterns.NONE, 100, 3, 8);
        Map<String, Object> shown = new ParamRedactor(rules).params(ordered("list", List.of(1, 2, 3, 4, 5),
                "array", new String[] {"a", "b", "c", "d"}, "short", List.of(1)));
        assertEquals(List.of(1, 2, 3, "... 2 more of 5 items"), shown.get("list"));
        assertEquals(List.of("a", "b", "c", "... 1 more of 4 items"), shown.get("array"));
        assertEquals(List.of(1), shown.get("short"));
    }

    @Test
    void big_maps_are_cut_too() {
        Map<String, Object> params = new LinkedHashMap<>();
        for (int i = 0; i < RedactionRules.MAX_ENTRIES + 5; i++) {
            params.put("p" + i, i);
        }
        Map<String, Object> shown = redactor.params(params);
        assertEquals(RedactionRules.MAX_ENTRIES + 1, shown.size());
        assertEquals("5 more of 105 keys", shown.get("..."));
    }

    @Test
    void nesting_deeper_than_the_limit_is_replaced_by_a_marker() {
        RedactionRules rules = new RedactionRules(KeyPatterns.of(List.of("password")), KeyPatterns.NONE, 100, 10, 2);
        Map<String, Object> params = ordered("a", ordered("b", ordered("c", ordered("password", "deep"))),
                "l", List.of(List.of(List.of("x"))));
        Map<String, Object> shown = new ParamRedactor(rules).params(params);
        assertEquals(ordered("b", ordered("c", "[nested deeper than 2 levels]")), shown.get("a"));
        assertEquals(List.of(List.of("[nested deeper than 2 levels]")), shown.get("l"));
        assertFalse(shown.toString().contains("deep,") || shown.toString().contains("=deep"), shown.toString());
    }

    @Test
    void values_of_unknown_types_show_their_type_only() {
        record Credentials(String user, String pin) {
        }
        Map<String, Object> shown = redactor.params(ordered("creds", new Credentials("ada", "1234"),
                "at", Instant.parse("2026-01-01T00:00:00Z"), "big", new java.math.BigDecimal("1.50")));
        assertEquals("[Credentials]", shown.get("creds"));
        assertEquals("2026-01-01T00:00:00Z", shown.get("at"));
        assertEquals(new java.math.BigDecimal("1.50"), shown.get("big"));
    }

    @Test
    void responses_use_their_own_patterns() {
        RedactionRules rules = new RedactionRules(KeyPatterns.of(List.of("password")), KeyPatterns.of(List.of("*Key")),
                100, 10, 8);
        ParamRedactor own = new ParamRedactor(rules);
        Map<String, Object> response = ordered("password", "p", "privateKey", "k", "data", ordered("sessionKey", "s"));
        assertEquals(ordered("password", "p", "privateKey", Redactor.FILTERED, "data", ordered("sessionKey", Redactor.FILTERED)),
                own.response(response));
        assertEquals(ordered("password", Redactor.FILTERED, "privateKey", "k", "data", ordered("sessionKey", "s")),
                own.params(response));
    }

    @Test
    void new_rules_apply_to_later_calls() {
        ParamRedactor own = new ParamRedactor(ParamsSettings.DEFAULTS.redaction());
        assertEquals("x", own.params(Map.of("pin", "x")).get("pin"));
        own.configure(new RedactionRules(KeyPatterns.of(List.of("pin")), KeyPatterns.NONE, 100, 10, 8));
        assertEquals(Redactor.FILTERED, own.params(Map.of("pin", "x")).get("pin"));
    }

    static Map<String, Object> ordered(Object... keysAndValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> deepCopy(Map<String, Object> map) {
        Map<String, Object> copy = new LinkedHashMap<>();
        map.forEach((k, v) -> copy.put(k, v instanceof Map<?, ?> m ? deepCopy((Map<String, Object>) m)
                : v instanceof List<?> l ? new ArrayList<>(l) : v));
        return copy;
    }
}
