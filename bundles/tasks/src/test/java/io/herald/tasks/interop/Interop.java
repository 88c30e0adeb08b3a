package io.herald.tasks.interop;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;

/** Small shared facts of the interop tests. */
final class Interop {

    /**
     * JS {@code Date.prototype.toString()}, as node-resque writes {@code failed_at} and {@code run_at}:
     * {@code Mon Nov 23 2026 15:55:32 GMT+0000 (Coordinated Universal Time)}.
     */
    static final String JS_DATE = "[A-Z][a-z]{2} [A-Z][a-z]{2} \\d{2} \\d{4} \\d{2}:\\d{2}:\\d{2} GMT[+-]\\d{4}( \\(.+\\))?";

    private Interop() {
    }

    /** Parses JSON text, failing the test with the text when it is not JSON. */
    static JsonNode json(String text) {
        try {
            return NodeResque.JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new AssertionError("not JSON: " + text, e);
        }
    }
}
