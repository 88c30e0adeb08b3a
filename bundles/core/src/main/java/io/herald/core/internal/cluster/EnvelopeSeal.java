package io.herald.core.internal.cluster;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Signs envelopes with the shared {@code serverToken} and checks the signature of those received.
 *
 * <p>Actionhero puts the {@code serverToken} itself in every pub/sub message and drops messages whose token differs; so
 * anyone who can read the channel learns the token. Herald sends an HMAC-SHA256 of the envelope instead, keyed with the
 * UTF-8 bytes of the token, over the exact bytes of the body. On the wire:
 *
 * <pre>{"sig":"&lt;base64 HMAC-SHA256 of the body's UTF-8 bytes&gt;","body":"&lt;the envelope JSON, as a string&gt;"}</pre>
 *
 * The body travels as a string, so the bytes verified are exactly the bytes signed, whatever JSON library reads them.
 */
final class EnvelopeSeal {

    private static final String ALGORITHM = "HmacSHA256";

    /** HMAC keys may not be empty; a node without a token signs with this, and only such nodes accept it. */
    private static final byte[] NO_TOKEN_KEY = "herald: no serverToken".getBytes(StandardCharsets.UTF_8);

    private final SecretKeySpec key;
    private final ObjectMapper mapper;

    EnvelopeSeal(String serverToken, ObjectMapper mapper) {
        byte[] keyBytes = serverToken == null || serverToken.isEmpty()
                ? NO_TOKEN_KEY : serverToken.getBytes(StandardCharsets.UTF_8);
        this.key = new SecretKeySpec(keyBytes, ALGORITHM);
        this.mapper = mapper;
    }

    /** What a received message turned out to be. */
    sealed interface Opened {
    }

    /** A message that verified and parsed. */
    record Valid(Envelope envelope) implements Opened {
    }

    /** A message to drop, with the sender it claims (untrusted) and why. */
    record Rejected(String claimedSender, String reason) implements Opened {
    }

    byte[] seal(Envelope envelope) {
        try {
            String body = mapper.writeValueAsString(envelope.toJson(mapper));
            ObjectNode wire = mapper.createObjectNode();
            wire.put("sig", Base64.getEncoder().encodeToString(sign(body.getBytes(StandardCharsets.UTF_8))));
            wire.put("body", body);
            return mapper.writeValueAsBytes(wire);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot write the cluster message as JSON: " + e.getMessage(), e);
        }
    }

    Opened open(byte[] wire) {
        JsonNode outer;
        try {
            outer = mapper.readTree(wire);
        } catch (IOException e) {
            return new Rejected("unknown", "not a Herald cluster envelope (not JSON)");
        }
        if (outer == null || !outer.path("sig").isTextual() || !outer.path("body").isTextual()) {
            return new Rejected("unknown", "not a Herald cluster envelope (no sig and body)");
        }
        String body = outer.get("body").asText();
        JsonNode bodyJson;
        try {
            bodyJson = mapper.readTree(body);
        } catch (IOException e) {
            bodyJson = null;
        }
        byte[] expected = sign(body.getBytes(StandardCharsets.UTF_8));
        byte[] given;
        try {
            given = Base64.getDecoder().decode(outer.get("sig").asText());
        } catch (IllegalArgumentException e) {
            given = new byte[0];
        }
        // Constant-time comparison: timing must not reveal how much of a forged signature was right.
        if (!MessageDigest.isEqual(expected, given)) {
            return new Rejected(Envelope.claimedSender(bodyJson),
                    "its signature does not verify (another serverToken, or altered on the way)");
        }
        try {
            return new Valid(Envelope.fromJson(bodyJson));
        } catch (Envelope.Malformed e) {
            return new Rejected(Envelope.claimedSender(bodyJson), "malformed envelope: " + e.getMessage());
        }
    }

    byte[] sign(byte[] body) {
        try {
            // A Mac is not thread-safe and messages are signed on callers' threads: one per message is cheap enough.
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            return mac.doFinal(body);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available in this JVM", e);
        }
    }
}
