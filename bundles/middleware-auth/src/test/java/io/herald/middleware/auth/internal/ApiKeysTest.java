package io.herald.middleware.auth.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HexFormat;
import java.util.List;
import java.util.Set;

import io.herald.api.Caller;

import org.junit.jupiter.api.Test;

class ApiKeysTest {

    private static final String OPS_SECRET = "ops-0123456789abcdef";
    private static final String CI_SECRET = "ci-secret-fedcba9876543210";

    @Test
    void a_key_in_clear_and_one_as_a_digest_both_match_their_secret() {
        String digest = HexFormat.of().formatHex(ApiKeys.sha256(CI_SECRET));
        ApiKeys keys = ApiKeys.parse(List.of("ops:" + OPS_SECRET + ":admin;reader", "ci:sha256:" + digest + ":deploy",
                "bare:" + "b".repeat(16)));
        assertEquals(new Caller("ops", Set.of("admin", "reader"), "apiKey"), keys.match(OPS_SECRET));
        assertEquals(new Caller("ci", Set.of("deploy"), "apiKey"), keys.match(CI_SECRET));
        assertEquals(new Caller("bare", Set.of(), "apiKey"), keys.match("b".repeat(16)));
        assertNull(keys.match(OPS_SECRET + "x"));
        assertNull(keys.match(digest), "the digest itself is no key");
        assertEquals(3, keys.size());
    }

    @Test
    void a_malformed_entry_is_refused_naming_the_entry_never_the_secret() {
        String shortSecret = "tooShort1";
        List<List<String>> bad = List.of(List.of("nosecret"), List.of(":" + OPS_SECRET + ":admin"),
                List.of("weak:" + shortSecret + ":admin"), List.of("ops:sha256:abc:admin"),
                List.of("ops:" + OPS_SECRET, "ops:" + CI_SECRET), List.of("odd:" + OPS_SECRET + ":a:b"));
        for (List<String> entries : bad) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ApiKeys.parse(entries),
                    entries.toString());
            assertTrue(e.getMessage().startsWith("apiKeys entry "), e.getMessage());
            assertFalse(e.getMessage().contains(OPS_SECRET) || e.getMessage().contains(CI_SECRET)
                    || e.getMessage().contains(shortSecret), e.getMessage());
        }
        assertEquals("apiKeys entry 2 (ops): the name is given twice",
                assertThrows(IllegalArgumentException.class, () -> ApiKeys.parse(List.of("ops:" + OPS_SECRET,
                        "ops:" + CI_SECRET))).getMessage());
    }

    @Test
    void no_entries_no_keys() {
        assertEquals(0, ApiKeys.parse(List.of()).size());
        assertNull(ApiKeys.none().match(OPS_SECRET));
    }
}
