package io.herald.tasks.internal.wire;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.lang.reflect.Array;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;

import io.herald.core.json.HeraldJson;

/**
 * JSON exactly as JavaScript's {@code JSON.stringify} writes it, and {@code JSON.parse} into plain Java values, on
 * Jackson's streaming generator and parser.
 *
 * <p>Byte-exactness matters because node-resque finds jobs by their serialized string: {@code Queue.del} and
 * {@code delDelayed} LREM and look up {@code JSON.stringify({class, queue, args})}, the {@code timestamps:<job>} keys
 * and the lock plugins' keys embed it, and {@code removeFailed} LREMs the re-serialized failure entry (node-resque's
 * {@code src/core/queue.ts} and {@code src/plugins/}). Jackson writes what {@code JSON.stringify} writes (no whitespace;
 * {@code "}, {@code \}, {@code \b \f \n \r \t} escaped, other control characters as {@code \}{@code u00xx}, {@code /}
 * and non-ASCII as they are) except for three ECMA-262 rules added here: numbers as {@link JsNumbers} (NaN and the
 * infinities as {@code null}), lone surrogates escaped as {@code \}{@code udxxx} (ES2019 well-formed
 * {@code JSON.stringify}), and object keys in JavaScript's property order: keys that are array indexes ({@code "0"},
 * {@code "17"}, up to 2^32-2) first, ascending, then the others in the map's order. That is the order Node gives an
 * object it parsed, so a payload Herald writes reads back in Node and re-serializes to the same bytes.
 *
 * <p>Java values written: {@link Map} (keys: strings, numbers or booleans), {@link Collection} and arrays (as JSON
 * arrays), {@link CharSequence}, {@link Character}, {@link Number}, {@link Boolean}, {@link Enum} (its name),
 * {@link Instant} and {@link Date} ({@code toISOString}: milliseconds, UTC) and {@code null}. Reading gives
 * {@link LinkedHashMap} (keys in document order; a repeated key keeps its first place and its last value, as in
 * JavaScript), {@link ArrayList}, {@link String}, {@link Boolean}, {@code null}, and for numbers {@link Integer} or
 * {@link Long} for integers that fit, {@link Double} otherwise (including integers beyond {@code long}, which
 * JavaScript holds as doubles too). Writing what was read gives back the bytes Node wrote.
 */
public final class JsJson {

    /** {@code JSON.parse} has no depth limit of its own; this one turns a runaway document into a precise error. */
    static final int MAX_DEPTH = 1000;
    /** The largest array index of ECMA-262: 2^32 - 2. */
    private static final long MAX_ARRAY_INDEX = 4_294_967_294L;
    /** JavaScript's {@code Date.prototype.toISOString}, which {@code JSON.stringify} writes for a date. */
    private static final DateTimeFormatter ISO_STRING =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);
    /** A {@code \}{@code uXXXX} escape of a surrogate, not itself escaped (preceded by an even run of backslashes). */
    private static final Pattern ESCAPED_SURROGATE =
            Pattern.compile("(?<!\\\\)((?:\\\\\\\\)*)\\\\u([dD][89a-fA-F][0-9a-fA-F]{2})");

    /**
     * Not {@link HeraldJson#mapper()}'s factory: its limits suit a client's request body, while the wire must take
     * every document {@code JSON.parse} takes (long strings and names, numbers of any length, 1000 levels), and must
     * write control characters in lowercase hex as {@code JSON.stringify} does. Names are not canonicalized: job keys
     * are arbitrary, there is nothing to gain from interning them.
     */
    private static final JsonFactory FACTORY = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH)
                    .maxStringLength(Integer.MAX_VALUE).maxNameLength(Integer.MAX_VALUE)
                    .maxNumberLength(Integer.MAX_VALUE).build())
            .disable(JsonWriteFeature.WRITE_HEX_UPPER_CASE)
            .disable(JsonFactory.Feature.CANONICALIZE_FIELD_NAMES)
            // As HeraldJson's: an action enqueues on its request's short-lived virtual thread (Java 21+), where
            // Jackson's default per-thread buffers would be allocated per job.
            .recyclerPool(JsonRecyclerPools.sharedConcurrentDequePool())
            .build();

    private JsJson() {
    }

    // ------------------------------------------------------------------------------------------------ writing

    /**
     * {@code JSON.stringify(value)}.
     *
     * @throws WireFormatException when the value holds a type that has no JSON form
     */
    public static String stringify(Object value) {
        StringWriter out = new StringWriter(64);
        try (JsonGenerator json = FACTORY.createGenerator(out)) {
            write(json, value);
        } catch (JsonProcessingException e) {
            throw new WireFormatException("cannot write JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a StringWriter does not fail
        }
        return escapeLoneSurrogates(out.toString());
    }

    /** {@code JSON.stringify(text)}: the string in quotes, escaped as JavaScript escapes it. */
    public static String quote(String text) {
        return stringify(text);
    }

    private static void write(JsonGenerator json, Object value) throws IOException {
        if (value == null) {
            json.writeNull();
        } else if (value instanceof CharSequence || value instanceof Character || value instanceof Enum<?>) {
            json.writeString(value instanceof Enum<?> constant ? constant.name() : value.toString());
        } else if (value instanceof Boolean bool) {
            json.writeBoolean(bool);
        } else if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
            json.writeNumber(((Number) value).intValue()); // the common case: JavaScript prints these digits too
        } else if (value instanceof Number number) {
            if (JsNumbers.isFinite(number)) {
                json.writeNumber(JsNumbers.toJsString(number));
            } else {
                json.writeNull();
            }
        } else if (value instanceof Map<?, ?> map) {
            writeObject(json, map);
        } else if (value instanceof Collection<?> items) {
            writeArray(json, items);
        } else if (value instanceof Object[] items) {
            writeArray(json, Arrays.asList(items));
        } else if (value.getClass().isArray()) {
            List<Object> items = new ArrayList<>();
            for (int i = 0; i < Array.getLength(value); i++) {
                items.add(Array.get(value, i));
            }
            writeArray(json, items);
        } else if (value instanceof Instant || value instanceof Date) {
            json.writeString(ISO_STRING.format(value instanceof Date date ? date.toInstant() : (Instant) value));
        } else {
            throw new WireFormatException("cannot write a " + value.getClass().getName()
                    + " as JSON: use maps, lists, strings, numbers, booleans and null");
        }
    }

    private static void writeArray(JsonGenerator json, Collection<?> items) throws IOException {
        json.writeStartArray();
        for (Object item : items) {
            write(json, item);
        }
        json.writeEndArray();
    }

    private static void writeObject(JsonGenerator json, Map<?, ?> map) throws IOException {
        json.writeStartObject();
        if (plainKeys(map)) {
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                json.writeFieldName((String) entry.getKey());
                write(json, entry.getValue());
            }
            json.writeEndObject();
            return;
        }
        // JavaScript's OrdinaryOwnPropertyKeys: array indexes ascending, then the other keys in creation order; two
        // Java keys with one property key (1 and "1") are one property, with the later value, as in JavaScript
        TreeMap<Long, Object> indexed = new TreeMap<>();
        Map<String, Object> named = new LinkedHashMap<>();
        for (Map.Entry<?, ?> entry : map.entrySet()) {
            String key = propertyKey(entry.getKey());
            long index = arrayIndex(key);
            if (index >= 0) {
                indexed.put(index, entry.getValue());
            } else {
                named.put(key, entry.getValue());
            }
        }
        for (Map.Entry<Long, Object> entry : indexed.entrySet()) {
            json.writeFieldName(Long.toString(entry.getKey()));
            write(json, entry.getValue());
        }
        for (Map.Entry<String, Object> entry : named.entrySet()) {
            json.writeFieldName(entry.getKey());
            write(json, entry.getValue());
        }
        json.writeEndObject();
    }

    /** Whether every key is a string that is not an array index: JavaScript keeps such keys in the map's order. */
    private static boolean plainKeys(Map<?, ?> map) {
        for (Object key : map.keySet()) {
            if (!(key instanceof String name) || arrayIndex(name) >= 0) {
                return false;
            }
        }
        return true;
    }

    /** What JavaScript's ToPropertyKey makes of a Java map key. */
    private static String propertyKey(Object key) {
        if (key instanceof Number number) {
            return JsNumbers.toJsString(number);
        }
        if (key instanceof CharSequence || key instanceof Boolean || key instanceof Character) {
            return key.toString();
        }
        if (key instanceof Enum<?> constant) {
            return constant.name();
        }
        throw new WireFormatException("cannot write a map key of type "
                + (key == null ? "null" : key.getClass().getName()) + " as JSON: use strings");
    }

    /** The key's value when it is a canonical array index ("0", "12"; not "012", "-1" or "4294967295"), else -1. */
    private static long arrayIndex(String key) {
        int length = key.length();
        if (length == 0 || length > 10 || (length > 1 && key.charAt(0) == '0')) {
            return -1;
        }
        for (int i = 0; i < length; i++) {
            if (key.charAt(i) < '0' || key.charAt(i) > '9') {
                return -1;
            }
        }
        long value = Long.parseLong(key);
        return value <= MAX_ARRAY_INDEX ? value : -1;
    }

    /**
     * ES2019's well-formed {@code JSON.stringify} writes a lone surrogate as {@code \}{@code udxxx}; Jackson writes it
     * as it is. Outside strings the generator writes ASCII only, so every surrogate in its output belongs to a string.
     */
    private static String escapeLoneSurrogates(String json) {
        StringBuilder out = null;
        for (int i = 0; i < json.length(); i++) {
            char c = json.charAt(i);
            boolean paired = Character.isHighSurrogate(c) && i + 1 < json.length()
                    && Character.isLowSurrogate(json.charAt(i + 1));
            if (Character.isSurrogate(c) && !paired) {
                if (out == null) {
                    out = new StringBuilder(json.length() + 16).append(json, 0, i);
                }
                out.append(String.format("\\u%04x", (int) c));
            } else if (out != null) {
                out.append(c);
                if (paired) {
                    out.append(json.charAt(i + 1));
                }
            }
            if (paired) {
                i++;
            }
        }
        return out == null ? json : out.toString();
    }

    // ------------------------------------------------------------------------------------------------ reading

    /**
     * {@code JSON.parse(text)}: one JSON value (RFC 8259), optionally surrounded by whitespace.
     *
     * @throws WireFormatException when {@code text} is not JSON, with the position and the reason
     */
    public static Object parse(String text) {
        if (text == null) {
            throw new WireFormatException("expected JSON, got null");
        }
        try {
            return read(text);
        } catch (JsonProcessingException e) {
            String message = e.getOriginalMessage();
            if (message == null || !message.contains("surrogate") || !message.contains("field name")) {
                throw notJson(text, e);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e); // reading a String does not fail
        }
        // Jackson refuses an escaped lone surrogate in a property name, which JSON.parse takes as that code unit;
        // Jackson takes the code unit itself, so the escapes are replaced by their characters and the text read again
        String unescaped = ESCAPED_SURROGATE.matcher(text).replaceAll(escape -> Matcher.quoteReplacement(
                escape.group(1) + (char) Integer.parseInt(escape.group(2), 16)));
        try {
            return read(unescaped);
        } catch (JsonProcessingException e) {
            throw notJson(text, e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static WireFormatException notJson(String text, JsonProcessingException e) {
        String reason = e instanceof StreamConstraintsException ? "nested deeper than " + MAX_DEPTH + " levels"
                : HeraldJson.describe(e);
        return new WireFormatException("not JSON: " + reason + " in: " + WireFormatException.excerpt(text), e);
    }

    private static Object read(String text) throws IOException {
        try (JsonParser json = FACTORY.createParser(text)) {
            if (json.nextToken() == null) {
                throw new WireFormatException("expected JSON, got " + (text.isEmpty() ? "an empty string"
                        : "only whitespace"));
            }
            Object value = readValue(json);
            if (json.nextToken() != null) {
                throw new WireFormatException("not JSON: unexpected " + json.currentToken().asString()
                        + " after the value at column " + json.currentTokenLocation().getColumnNr() + " in: "
                        + WireFormatException.excerpt(text));
            }
            return value;
        }
    }

    private static Object readValue(JsonParser json) throws IOException {
        return switch (json.currentToken()) {
            case START_OBJECT -> {
                Map<String, Object> object = new LinkedHashMap<>();
                for (String name = json.nextFieldName(); name != null; name = json.nextFieldName()) {
                    json.nextToken();
                    // JavaScript: a repeated name keeps its first place and takes the last value, as put does
                    object.put(name, readValue(json));
                }
                yield object;
            }
            case START_ARRAY -> {
                List<Object> array = new ArrayList<>();
                while (json.nextToken() != JsonToken.END_ARRAY) {
                    array.add(readValue(json));
                }
                yield array;
            }
            case VALUE_STRING -> json.getText();
            case VALUE_NUMBER_INT -> switch (json.getNumberType()) {
                case INT -> Integer.valueOf(json.getIntValue());
                case LONG -> Long.valueOf(json.getLongValue());
                // beyond long: JavaScript holds the nearest double of the digits (correctly rounded)
                default -> Double.valueOf(json.getText());
            };
            case VALUE_NUMBER_FLOAT -> Double.valueOf(json.getDoubleValue());
            case VALUE_TRUE -> Boolean.TRUE;
            case VALUE_FALSE -> Boolean.FALSE;
            case VALUE_NULL -> null;
            default -> throw new IllegalStateException("a value cannot start with " + json.currentToken());
        };
    }

    /**
     * {@code JSON.parse(text)} of a JSON object.
     *
     * @throws WireFormatException when {@code text} is not JSON or not an object
     */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> parseObject(String text) {
        Object value = parse(text);
        if (value instanceof Map<?, ?>) {
            return (Map<String, Object>) value;
        }
        throw new WireFormatException("expected a JSON object, got " + describe(value) + ": "
                + WireFormatException.excerpt(text));
    }

    /** "a string", "an array", ... for error messages. */
    public static String describe(Object value) {
        if (value == null) {
            return "null";
        }
        if (value instanceof String) {
            return "a string";
        }
        if (value instanceof List<?>) {
            return "an array";
        }
        if (value instanceof Map<?, ?>) {
            return "an object";
        }
        return value instanceof Boolean ? "a boolean" : "a number";
    }
}
