package io.herald.core.internal.cluster;

import java.util.Locale;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One message of the cluster bus, before signing: what it is, who sent it, and its content. Serialized as a JSON
 * object, the way Actionhero's cluster messages are ({@code messageType}, {@code serverId}, ...), minus the
 * {@code serverToken} in clear: the signature in {@link EnvelopeSeal} replaces it.
 *
 * @param type what the message is
 * @param sender the sending node's id
 * @param id a unique id; calls and their replies share it (the correlation id)
 * @param sentAt the sender's clock, epoch millis
 * @param channel the channel of a {@link Type#PUBLISH}
 * @param method the method of a {@link Type#CALL}
 * @param connectionId for a {@link Type#CALL} that only the holder of this connection runs, else null
 * @param to the node a {@link Type#REPLY} is for
 * @param payload the published message, the call's args, the reply's result, or membership details
 * @param error the error of a failed {@link Type#REPLY}, else null
 */
record Envelope(Type type, String sender, String id, long sentAt, String channel, String method, String connectionId,
        String to, JsonNode payload, String error) {

    /** The format version, so a future change can be recognized instead of misread. */
    static final int VERSION = 1;

    /** Longest node id accepted; anything longer is not a Herald node. */
    private static final int MAX_ID_LENGTH = 256;

    enum Type {
        PUBLISH, CALL, REPLY, JOIN, LEAVE, HEARTBEAT;

        String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }

        static Type fromWire(String name) {
            for (Type type : values()) {
                if (type.wireName().equals(name)) {
                    return type;
                }
            }
            return null;
        }
    }

    /** Thrown when bytes that passed the signature check are still not a valid envelope (a newer format, say). */
    static final class Malformed extends Exception {

        private static final long serialVersionUID = 1L;

        Malformed(String message) {
            super(message);
        }
    }

    ObjectNode toJson(ObjectMapper mapper) {
        ObjectNode json = mapper.createObjectNode();
        json.put("v", VERSION);
        json.put("type", type.wireName());
        json.put("sender", sender);
        json.put("id", id);
        json.put("sentAt", sentAt);
        putIfSet(json, "channel", channel);
        putIfSet(json, "method", method);
        putIfSet(json, "connectionId", connectionId);
        putIfSet(json, "to", to);
        putIfSet(json, "error", error);
        json.set("payload", payload == null ? NullNode.getInstance() : payload);
        return json;
    }

    static Envelope fromJson(JsonNode json) throws Malformed {
        if (json == null || !json.isObject()) {
            throw new Malformed("the body is not a JSON object");
        }
        if (json.path("v").asInt(-1) != VERSION) {
            throw new Malformed("unknown envelope version " + json.path("v"));
        }
        Type type = Type.fromWire(json.path("type").asText(""));
        if (type == null) {
            throw new Malformed("unknown message type " + json.path("type"));
        }
        String sender = required(json, "sender");
        if (sender.length() > MAX_ID_LENGTH) {
            throw new Malformed("sender id longer than " + MAX_ID_LENGTH + " characters");
        }
        Envelope envelope = new Envelope(type, sender, required(json, "id"), json.path("sentAt").asLong(0),
                optional(json, "channel"), optional(json, "method"), optional(json, "connectionId"),
                optional(json, "to"), json.get("payload"), optional(json, "error"));
        switch (type) {
            case PUBLISH -> requirePresent(envelope.channel, "channel", type);
            case CALL -> requirePresent(envelope.method, "method", type);
            case REPLY -> requirePresent(envelope.to, "to", type);
            default -> {
                // Membership messages need only the sender.
            }
        }
        return envelope;
    }

    /** The sender a body claims, for the log line of a dropped message; "unknown" if it names none. Never trusted. */
    static String claimedSender(JsonNode json) {
        String sender = json == null ? null : json.path("sender").asText(null);
        return sender == null || sender.isBlank() ? "unknown" : printable(sender);
    }

    /** Makes untrusted text safe for one log line: no control characters, bounded length. */
    static String printable(String text) {
        String cleaned = text.codePoints()
                .map(c -> Character.isISOControl(c) ? '?' : c)
                .limit(80)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append)
                .toString();
        return text.length() > 80 ? cleaned + "..." : cleaned;
    }

    private static void putIfSet(ObjectNode json, String field, String value) {
        if (value != null) {
            json.put(field, value);
        }
    }

    private static String required(JsonNode json, String field) throws Malformed {
        String value = optional(json, field);
        if (value == null || value.isEmpty()) {
            throw new Malformed("no " + field);
        }
        return value;
    }

    private static String optional(JsonNode json, String field) {
        JsonNode value = json.get(field);
        return value == null || !value.isTextual() ? null : value.asText();
    }

    private static void requirePresent(String value, String field, Type type) throws Malformed {
        if (value == null || value.isEmpty()) {
            throw new Malformed("a " + type.wireName() + " message without " + field);
        }
    }
}
