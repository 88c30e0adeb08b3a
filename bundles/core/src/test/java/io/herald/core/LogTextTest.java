package io.herald.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;

class LogTextTest {

    @Test
    void short_plain_text_is_kept_as_it_is() {
        String text = "hello world";
        assertSame(text, LogText.cut(text, 20));
    }

    @Test
    void long_text_is_cut_with_its_length() {
        assertEquals("abcd... (10 chars)", LogText.cut("abcdefghij", 4));
    }

    @Test
    void control_characters_are_escaped_so_a_value_cannot_start_a_line() {
        assertEquals("a\\nb\\r\\tc\\u0000\\u2028", LogText.escape("a\nb\r\tc\u0000\u2028"));
        assertEquals("x\\ny... (6 chars)", LogText.cut("x\nyzzz", 3));
    }

    @Test
    void a_surrogate_pair_is_never_split() {
        String text = "ab\uD83D\uDE00cd";
        assertEquals("ab... (6 chars)", LogText.cut(text, 3));
        assertEquals("ab\uD83D\uDE00... (6 chars)", LogText.cut(text, 4));
    }
}
