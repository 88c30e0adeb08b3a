package io.herald.core.internal.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.TextNode;

import org.junit.jupiter.api.Test;

class EnvelopeSealTest {

    private final ObjectMapper mapper = JsonMapper.builder().build();

    private Envelope publish(String sender, String text) {
        return new Envelope(Envelope.Type.PUBLISH, sender, "id-1", 1_700_000_000_000L, "news", null, null, null,
                TextNode.valueOf(text), null);
    }

    @Test
    void signs_with_hmac_sha256_keyed_by_the_token() {
        // RFC 4231, test case 2.
        byte[] mac = new EnvelopeSeal("Jefe", mapper).sign("what do ya want for nothing?".getBytes(StandardCharsets.UTF_8));
        assertEquals("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843", HexFormat.of().formatHex(mac));
    }

    @Test
    void a_sealed_envelope_opens_with_the_same_token_and_never_carries_the_token() {
        EnvelopeSeal seal = new EnvelopeSeal("s3cret-token", mapper);
        byte[] wire = seal.seal(publish("node-a", "héllo ✓"));
        assertFalse(new String(wire, StandardCharsets.UTF_8).contains("s3cret-token"));
        Envelope opened = assertInstanceOf(EnvelopeSeal.Valid.class, seal.open(wire)).envelope();
        assertEquals(publish("node-a", "héllo ✓"), opened);
    }

    @Test
    void another_token_is_rejected_naming_the_claimed_sender() {
        byte[] wire = new EnvelopeSeal("other", mapper).seal(publish("intruder\n", "x"));
        EnvelopeSeal.Rejected rejected = assertInstanceOf(EnvelopeSeal.Rejected.class,
                new EnvelopeSeal("s3cret-token", mapper).open(wire));
        assertEquals("intruder?", rejected.claimedSender(), "control characters cannot forge log lines");
        assertTrue(rejected.reason().contains("signature does not verify"), rejected.reason());
    }

    @Test
    void an_empty_token_still_signs_and_only_matches_an_empty_token() {
        byte[] wire = new EnvelopeSeal("", mapper).seal(publish("a", "x"));
        assertInstanceOf(EnvelopeSeal.Valid.class, new EnvelopeSeal("", mapper).open(wire));
        assertInstanceOf(EnvelopeSeal.Rejected.class, new EnvelopeSeal("t", mapper).open(wire));
    }

    @Test
    void junk_and_signed_but_malformed_bodies_are_rejected() {
        EnvelopeSeal seal = new EnvelopeSeal("t", mapper);
        assertInstanceOf(EnvelopeSeal.Rejected.class, seal.open("junk".getBytes(StandardCharsets.UTF_8)));
        assertInstanceOf(EnvelopeSeal.Rejected.class, seal.open("[1,2]".getBytes(StandardCharsets.UTF_8)));
        String body = "{\"v\":2,\"type\":\"publish\",\"sender\":\"a\",\"id\":\"1\",\"channel\":\"c\"}";
        String wire = "{\"sig\":\"" + Base64.getEncoder().encodeToString(seal.sign(body.getBytes(StandardCharsets.UTF_8)))
                + "\",\"body\":" + TextNode.valueOf(body) + "}";
        EnvelopeSeal.Rejected rejected = assertInstanceOf(EnvelopeSeal.Rejected.class,
                seal.open(wire.getBytes(StandardCharsets.UTF_8)));
        assertTrue(rejected.reason().contains("unknown envelope version"), rejected.reason());
        assertEquals("a", rejected.claimedSender());
    }
}
