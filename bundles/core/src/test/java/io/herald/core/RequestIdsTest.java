package io.herald.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RequestIdsTest {

    @Test
    void ids_that_proxies_and_clients_make_are_kept() {
        assertTrue(RequestIds.valid("3f1c6c1e-7b7a-4a4e-9f0e-1a2b3c4d5e6f"));
        assertTrue(RequestIds.valid("c0ffee00c0ffee00c0ffee00c0ffee00"), "nginx's $request_id");
        assertTrue(RequestIds.valid("abc+/def=="), "base64");
        assertTrue(RequestIds.valid("web-1:42"));
        assertTrue(RequestIds.valid("x".repeat(RequestIds.MAX_LENGTH)));
    }

    @Test
    void anything_that_could_bloat_or_forge_a_line_or_a_header_is_replaced() {
        assertFalse(RequestIds.valid(null));
        assertFalse(RequestIds.valid(""));
        assertFalse(RequestIds.valid("x".repeat(RequestIds.MAX_LENGTH + 1)));
        assertFalse(RequestIds.valid("a b"));
        assertFalse(RequestIds.valid("a\r\nFAKE"));
        assertFalse(RequestIds.valid("a\"b"));
        assertFalse(RequestIds.valid("<script>"));
        assertFalse(RequestIds.valid("é"));
        assertEquals("fallback", RequestIds.orElse("a;b", "fallback"));
        assertEquals("ok-1", RequestIds.orElse("ok-1", "fallback"));
    }
}
