package io.herald.core.json;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import io.herald.api.UploadedFile;

/**
 * The JSON codec every Herald bundle uses: one {@link JsonMapper}, configured here and nowhere else.
 *
 * <ul>
 * <li>{@code java.time} values are written as ISO-8601 strings, as JavaScript's {@code Date.prototype.toJSON} writes
 * a date (an {@code Instant} returned by an action reaches the client as {@code "2026-12-06T22:45:23.120Z"});
 * {@code Optional} is its value or {@code null}; records and beans are objects; {@code BigDecimal} is a plain number.
 * <li>A document nested deeper than {@value #MAX_NESTING_DEPTH} levels or longer than 64 MiB is refused while it is
 * read (Jackson's own depth limit is 1,000, deep enough to make a 500 and a quarter-megabyte log line of one request).
 * <li>Trailing data after a document is an error ({@code {"a":1} x} is malformed, as {@code JSON.parse} says);
 * unknown properties are ignored when reading into a type, so nodes of different versions can read each other.
 * </ul>
 *
 * Modules are registered explicitly: {@code findAndAddModules} uses {@code ServiceLoader}, which finds nothing
 * across OSGi bundles, so a mapper built with it silently lacks {@code java.time} support there.
 *
 * @since 1.0
 */
public final class HeraldJson {

    /** How deep a document read by Herald may nest objects and arrays. */
    public static final int MAX_NESTING_DEPTH = 100;
    /** The longest document Herald reads, in bytes (transports bound their bodies lower: the web server's maxBodySize). */
    public static final long MAX_DOCUMENT_LENGTH = 64L * 1024 * 1024;

    private static final int MAX_DESCRIPTION = 300;
    private static final JsonMapper MAPPER = builder().build();

    private HeraldJson() {
    }

    /** The shared mapper. Thread-safe; never reconfigure it: derive a variant from {@link #builder()} instead. */
    public static JsonMapper mapper() {
        return MAPPER;
    }

    /** A builder holding Herald's configuration, for a bundle that needs a variant of the shared mapper. */
    public static JsonMapper.Builder builder() {
        JsonFactory factory = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_NESTING_DEPTH)
                        .maxDocumentLength(MAX_DOCUMENT_LENGTH).build())
                .enable(StreamWriteFeature.WRITE_BIGDECIMAL_AS_PLAIN)
                .build();
        return JsonMapper.builder(factory)
                .addModule(new JavaTimeModule())
                .addModule(new Jdk8Module())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS)
                // An object without properties is {}, not an error.
                .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .addMixIn(UploadedFile.class, UploadedFileJson.class);
    }

    /** An upload is written as what it is (name, file name, size, type), never as where it lies on the server. */
    @JsonIgnoreProperties({ "path" })
    private abstract static class UploadedFileJson {
    }

    /**
     * The value as plain JSON values: maps with string keys, lists, strings, numbers, booleans and nulls. Values that
     * already are plain are returned as they are (the common case costs a walk, not a copy); anything else (a record,
     * an {@code Instant}, an {@code Optional}, an enum, an array) is converted as the mapper would write it, so every
     * transport and the spec helper see the very values an HTTP client reads.
     *
     * @throws IllegalArgumentException when the value cannot be written as JSON
     */
    public static Object plain(Object value) {
        if (value == null || value instanceof String || value instanceof Number || value instanceof Boolean) {
            return value;
        }
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> copy = null;
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                Object converted = plain(entry.getValue());
                if (copy == null && (converted != entry.getValue() || !(entry.getKey() instanceof String))) {
                    copy = new LinkedHashMap<>();
                    for (Map.Entry<?, ?> before : map.entrySet()) {
                        if (before == entry) {
                            break;
                        }
                        copy.put(String.valueOf(before.getKey()), before.getValue());
                    }
                }
                if (copy != null) {
                    copy.put(String.valueOf(entry.getKey()), converted);
                }
            }
            return copy == null ? map : copy;
        }
        if (value instanceof List<?> list) {
            List<Object> copy = null;
            for (int i = 0; i < list.size(); i++) {
                Object element = list.get(i);
                Object converted = plain(element);
                if (copy == null && converted != element) {
                    copy = new ArrayList<>(list.subList(0, i));
                }
                if (copy != null) {
                    copy.add(converted);
                }
            }
            return copy == null ? list : copy;
        }
        return MAPPER.convertValue(value, Object.class);
    }

    /**
     * What is wrong with a JSON document, for a client: the parser's own wording with its line and column, without
     * Jackson's internal class names or source descriptions.
     */
    public static String describe(JsonProcessingException e) {
        String message;
        if (e instanceof StreamConstraintsException) {
            message = "the document nests deeper than " + MAX_NESTING_DEPTH + " levels or is too long";
        } else if (e instanceof MismatchedInputException mismatch) {
            String original = String.valueOf(mismatch.getOriginalMessage());
            message = original.startsWith("Trailing token") ? "unexpected data after the end of the JSON document"
                    : "expected " + kind(mismatch.getTargetType());
        } else {
            message = e.getOriginalMessage() == null ? "malformed JSON" : e.getOriginalMessage();
            int source = message.indexOf(" (start marker at [Source");
            if (source >= 0) {
                message = message.substring(0, source);
            }
            int lineBreak = message.indexOf('\n');
            if (lineBreak >= 0) {
                message = message.substring(0, lineBreak);
            }
            // A remaining `com.fasterxml...` or `java.util...` type name says nothing to a client.
            message = message.replaceAll("`[\\w.$<>, ]+`", "value");
        }
        JsonLocation location = e.getLocation();
        if (location != null && location.getLineNr() > 0) {
            message = message + " at line " + location.getLineNr() + ", column " + location.getColumnNr();
        }
        return message.length() > MAX_DESCRIPTION ? message.substring(0, MAX_DESCRIPTION) + "..." : message;
    }

    private static String kind(Class<?> type) {
        if (type == null || type == Object.class) {
            return "a JSON value";
        }
        if (Map.class.isAssignableFrom(type)) {
            return "a JSON object";
        }
        if (List.class.isAssignableFrom(type) || type.isArray()) {
            return "a JSON array";
        }
        if (type == String.class || CharSequence.class.isAssignableFrom(type)) {
            return "a string";
        }
        if (Number.class.isAssignableFrom(type) || (type.isPrimitive() && type != boolean.class)) {
            return "a number";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        return "a JSON object";
    }
}
