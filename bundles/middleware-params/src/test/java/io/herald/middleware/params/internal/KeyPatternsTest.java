package io.herald.middleware.params.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

class KeyPatternsTest {

    @Test
    void a_star_stands_for_any_run_of_characters_also_none() {
        assertTrue(KeyPatterns.glob("*token", "token"));
        assertTrue(KeyPatterns.glob("*token", "accesstoken"));
        assertTrue(KeyPatterns.glob("api*", "api"));
        assertTrue(KeyPatterns.glob("a*b*c", "axxbyyc"));
        assertTrue(KeyPatterns.glob("a*b*c", "abbbc"));
        assertTrue(KeyPatterns.glob("*", ""));
        assertTrue(KeyPatterns.glob("**x", "x"));
        assertFalse(KeyPatterns.glob("*token", "tokens"));
        assertFalse(KeyPatterns.glob("a*b*c", "axxbyy"));
        assertFalse(KeyPatterns.glob("abc", "ab"));
        assertFalse(KeyPatterns.glob("ab", "abc"));
    }

    @Test
    void the_star_backtracks_to_find_the_last_occurrence() {
        // the first "ab" would end the match too early: the star must absorb it
        assertTrue(KeyPatterns.glob("*ab", "abxab"));
        assertTrue(KeyPatterns.glob("*secret*", "mysecretvalue"));
        assertFalse(KeyPatterns.glob("*ab", "abxa"));
    }

    @Test
    void names_and_globs_match_in_any_case() {
        KeyPatterns patterns = KeyPatterns.of(List.of("password", "*Token", "API_KEY"));
        assertTrue(patterns.matches("password"));
        assertTrue(patterns.matches("PassWord"));
        assertTrue(patterns.matches("accessToken"));
        assertTrue(patterns.matches("REFRESH_TOKEN"));
        assertTrue(patterns.matches("token"));
        assertTrue(patterns.matches("api_key"));
        assertFalse(patterns.matches("passwords"));
        assertFalse(patterns.matches("tokenizer"));
        assertFalse(patterns.matches("user"));
    }

    @Test
    void characters_other_than_the_star_are_literal() {
        KeyPatterns patterns = KeyPatterns.of(List.of("user[password]", "a.b", "x?"));
        assertTrue(patterns.matches("user[password]"));
        assertTrue(patterns.matches("a.b"));
        assertFalse(patterns.matches("axb"));
        assertFalse(patterns.matches("xy"));
        assertTrue(patterns.matches("x?"));
    }

    @Test
    void blank_entries_are_ignored_and_entries_trimmed() {
        KeyPatterns patterns = KeyPatterns.of(List.of("  secret ", "", "   "));
        assertEquals(List.of("secret"), patterns.patterns());
        assertTrue(patterns.matches("Secret"));
        assertTrue(KeyPatterns.of(List.of()).isEmpty());
        assertFalse(KeyPatterns.NONE.matches("password"));
    }

    @Test
    void a_control_character_is_refused_naming_the_pattern_escaped() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> KeyPatterns.of(List.of("pass\nword")));
        assertEquals("\"pass\\nword\" holds a control character", e.getMessage());
    }
}
