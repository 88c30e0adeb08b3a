package io.herald.core.internal;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Which serverToken values every Herald installation knows (ServerIdentity.placeholderServerToken()). */
class IdentityComponentTest {

    @Test
    void the_shipped_placeholder_and_an_empty_token_are_placeholders() {
        assertTrue(IdentityComponent.isPlaceholder("change-me"), "config/io.herald.core.cfg's default");
        assertTrue(IdentityComponent.isPlaceholder(" change-me "));
        assertTrue(IdentityComponent.isPlaceholder(""), "CoreConfig's default");
        assertTrue(IdentityComponent.isPlaceholder("   "));
        assertTrue(IdentityComponent.isPlaceholder(null));
    }

    @Test
    void any_other_token_is_a_secret() {
        assertFalse(IdentityComponent.isPlaceholder("test-server-token"));
        assertFalse(IdentityComponent.isPlaceholder("change-me-please"));
        assertFalse(IdentityComponent.isPlaceholder("Change-Me"), "tokens compare exactly, as signatures do");
    }
}
