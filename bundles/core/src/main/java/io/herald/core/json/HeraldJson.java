package io.herald.core.json;

import java.io.IOException;
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
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
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
 * <li>A document nested deeper than {@value #MAX_NESTING_DEPTH} levels, longer than 64 MiB, with a string longer than
 * {@value #MAX_STRING_LENGTH} characters, a property name longer than {@value #MAX_NAME_LENGTH} or a number longer than
 * {@value #MAX_NUMBER_LENGTH} characters is refused while it is read (Jackson's own depth limit is 1,000, deep enough to
 * make a 500 and a quarter-megabyte log line of one request); {@link #describe} names the limit.
 * <li>{@link #readUntrusted} reads what a client sent: strict UTF-8 first (Jackson's parser takes overlong forms such
 * as {@code C0 AF} for {@code /}), and a number too large for a double ({@code 1e999999999}) is refused instead of
 * becoming Infinity, which JavaScript's {@code JSON.parse} would give and JSON cannot write back.
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
    /** The longest string value Herald reads, in characters (1 MiB). @since 1.1 */
    public static final int MAX_STRING_LENGTH = 1024 * 1024;
    /** The longest property name Herald reads, in characters. @since 1.1 */
    public static final int MAX_NAME_LENGTH = 10_000;
    /** The longest number Herald reads, in characters (a double needs at most 24). @since 1.1 */
    public static final int MAX_NUMBER_LENGTH = 1000;

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
                        .maxDocumentLength(MAX_DOCUMENT_LENGTH).maxStringLength(MAX_STRING_LENGTH)
                        .maxNameLength(MAX_NAME_LENGTH).maxNumberLength(MAX_NUMBER_LENGTH).build())
                .enable(StreamWriteFeature.WRITE_BIGDECIMAL_AS_PLAIN)
                // Jackson's default keeps its buffers per thread; requests run on short-lived virtual threads on Java
                // 21+, so each request allocated them anew (about 10 KB of garbage per response). A shared pool keeps
                // them on every thread.
                .recyclerPool(JsonRecyclerPools.sharedConcurrentDequePool())
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
     * Reads a document a client sent into plain values (maps, lists, strings, numbers, booleans, nulls), refusing
     * what {@link #mapper()} alone would take: bytes that are not strict UTF-8 (overlong forms, encoded surrogates,
     * bytes that never occur in UTF-8) and numbers beyond a double's range. Every refusal is a
     * {@link JsonProcessingException} that {@link #describe} words.
     *
     * @since 1.1
     */
    public static Object readUntrusted(byte[] json) throws IOException {
        int invalid = Utf8.firstInvalid(json);
        if (invalid >= 0) {
            throw new Refused("the document is not valid UTF-8 (byte " + (invalid + 1) + ")");
        }
        Object value = MAPPER.readValue(json, Object.class);
        if (!finite(value, 0)) {
            throw new Refused("a number is too large (beyond the range of a double)");
        }
        return value;
    }

    /** False when a number in {@code value} is infinite: a float that overflowed while it was read. */
    private static boolean finite(Object value, int depth) {
        if (value instanceof Double d) {
            return !d.isInfinite() && !d.isNaN();
        }
        if (depth > MAX_NESTING_DEPTH) {
            return true;
        }
        if (value instanceof Map<?, ?> map) {
            for (Object element : map.values()) {
                if (!finite(element, depth + 1)) {
                    return false;
                }
            }
        } else if (value instanceof List<?> list) {
            for (Object element : list) {
                if (!finite(element, depth + 1)) {
                    return false;
                }
            }
        }
        return true;
    }

    /** A document Herald refuses although Jackson would read it; its message is the client's wording. */
    private static final class Refused extends JsonProcessingException {

        private static final long serialVersionUID = 1L;

        Refused(String message) {
            super(message, (JsonLocation) null);
        }
    }

    /**
     * What is wrong with a JSON document, for a client: the parser's own wording with its line and column, without
     * Jackson's internal class names or source descriptions.
     */
    public static String describe(JsonProcessingException e) {
        String message;
        if (e instanceof Refused) {
            return e.getOriginalMessage();
        }
        if (e instanceof StreamConstraintsException) {
            message = limit(String.valueOf(e.getOriginalMessage()));
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

    /** Which limit a document broke, from Jackson's message (its exception has no other field saying so). */
    private static String limit(String jackson) {
        if (jackson.startsWith("Document nesting depth")) {
            return "the document nests deeper than " + MAX_NESTING_DEPTH + " levels";
        }
        if (jackson.startsWith("Number value length")) {
            return "a number is longer than " + MAX_NUMBER_LENGTH + " characters";
        }
        if (jackson.startsWith("String value length")) {
            return "a string is longer than " + MAX_STRING_LENGTH + " characters";
        }
        if (jackson.startsWith("Name length")) {
            return "a property name is longer than " + MAX_NAME_LENGTH + " characters";
        }
        if (jackson.startsWith("Document length")) {
            return "the document is longer than " + MAX_DOCUMENT_LENGTH + " bytes";
        }
        return "the document exceeds a limit (" + MAX_NESTING_DEPTH + " levels, strings of " + MAX_STRING_LENGTH
                + " characters, numbers of " + MAX_NUMBER_LENGTH + ")";
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
