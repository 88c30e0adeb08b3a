package io.herald.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

class ActionLogTextTest {

    @Test
    void control_characters_from_a_client_cannot_start_a_forged_line() {
        assertEquals("action=a\\r\\nFAKE x\\u0000y\\tz\\u2028", ActionLog.escape("action=a\r\nFAKE x\u0000y\tz\u2028"));
        assertEquals("plain é", ActionLog.escape("plain é"));
    }

    @Test
    void param_names_are_bounded_in_length_and_number_when_no_redactor_runs() {
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("n".repeat(150), 1);
        for (int i = 0; i < 60; i++) {
            params.put("p" + i, i);
        }
        String names = ActionLog.names(params);
        assertTrue(names.startsWith("[" + "n".repeat(100) + "... (150 chars), p0, "), names);
        assertTrue(names.endsWith(", p48, ... 11 more]"), names);
    }
}
