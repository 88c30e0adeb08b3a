package io.herald.server.web.internal;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;

/** The one {@link ObjectMapper} setup of this bundle, and client-readable wording of JSON parse errors. */
final class Json {

    private static final int MAX_DESCRIPTION = 300;

    private Json() {
    }

    /** A mapper for request bodies and responses. Built once per server and shared by every request. */
    static ObjectMapper newMapper() {
        return JsonMapper.builder()
                // "{"a":1} garbage" is a malformed body, not an object followed by noise.
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                // An action returning an object without properties gets {}, not a 500.
                .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
                .build();
    }

    /** What is wrong with a JSON document, with its line and column, without Jackson's internal source description. */
    static String describe(JsonProcessingException e) {
        String message = e.getOriginalMessage();
        if (message == null) {
            message = e.getClass().getSimpleName();
        }
        int source = message.indexOf(" (start marker at [Source");
        if (source >= 0) {
            message = message.substring(0, source);
        }
        int lineBreak = message.indexOf('\n');
        if (lineBreak >= 0) {
            message = message.substring(0, lineBreak);
        }
        JsonLocation location = e.getLocation();
        if (location != null && location.getLineNr() > 0) {
            message = message + " at line " + location.getLineNr() + ", column " + location.getColumnNr();
        }
        return message.length() > MAX_DESCRIPTION ? message.substring(0, MAX_DESCRIPTION) + "..." : message;
    }
}
