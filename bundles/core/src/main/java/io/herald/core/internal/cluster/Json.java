package io.herald.core.internal.cluster;

import java.io.IOException;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;

/** JSON conversions of the bus, with the exceptions its API promises. */
final class Json {

    private Json() {
    }

    /** The value as a JSON tree. @throws IllegalArgumentException when Jackson cannot write it */
    static JsonNode tree(ObjectMapper mapper, Object value, String what) {
        try {
            // Through text, not valueToTree: the receiver gets exactly what the wire would carry.
            return mapper.readTree(mapper.writeValueAsBytes(value));
        } catch (IOException e) {
            throw new IllegalArgumentException(what + " cannot be written as JSON: " + originalMessage(e), e);
        }
    }

    static <T> T read(ObjectMapper mapper, JsonNode json, Class<T> type) {
        try {
            return mapper.treeToValue(json == null ? NullNode.getInstance() : json, type);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new IllegalArgumentException("cannot read " + text(mapper, json) + " as " + type.getSimpleName(), e);
        }
    }

    static String text(ObjectMapper mapper, JsonNode json) {
        try {
            return mapper.writeValueAsString(json == null ? NullNode.getInstance() : json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a parsed JSON tree cannot be written back", e);
        }
    }

    private static String originalMessage(IOException e) {
        return e instanceof JsonProcessingException p ? p.getOriginalMessage() : e.getMessage();
    }
}
