package io.herald.tasks.internal.wire;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * JSON exactly as JavaScript's {@code JSON.stringify} writes it, and {@code JSON.parse} into plain Java values.
 *
 * <p>Byte-exactness matters because node-resque finds jobs by their serialized string ({@code LREM}, the
 * {@code timestamps:<job>} keys, lock keys, {@code removeFailed}); see resque-wire-format.md 1.2. Writing follows
 * ECMA-262 {@code JSON.stringify} (ES2019 well-formed): no whitespace; strings escape only {@code "}, {@code \},
 * {@code \b \f \n \r \t}, other control characters as {@code \}{@code u00xx} (lowercase hex) and lone surrogates as
 * {@code \}{@code udxxx}; {@code /} and non-ASCII characters are written as they are; numbers as {@link JsNumbers};
 * NaN and the infinities as {@code null}. Object keys come out in JavaScript's property order: keys that are array
 * indexes ({@code "0"}, {@code "17"}, up to 2^32-2) first, ascending, then the others in the map's order. That is the
 * order Node gives an object it parsed, so a payload Herald writes reads back in Node and re-serializes to the same
 * bytes.
 *
 * <p>Java values written: {@link Map} (keys: strings, numbers or booleans), {@link Collection} and arrays (as JSON
 * arrays), {@link CharSequence}, {@link Character}, {@link Number}, {@link Boolean}, {@link Enum} (its name) and
 * {@code null}. Reading gives {@link LinkedHashMap} (keys in document order; a repeated key keeps its first place and
 * its last value, as in JavaScript), {@link ArrayList}, {@link String}, {@link Boolean}, {@code null}, and for numbers
 * {@link Integer} or {@link Long} for integers that fit, {@link Double} otherwise (including integers beyond
 * {@code long}, which JavaScript holds as doubles too). Writing what was read gives back the bytes Node wrote.
 */
public final class JsJson {

    private static final char[] HEX = "0123456789abcdef".toCharArray();
    /** The largest array index of ECMA-262: 2^32 - 2. */
    private static final long MAX_ARRAY_INDEX = 4_294_967_294L;

    private JsJson() {
    }

    // ------------------------------------------------------------------------------------------------ writing

    /**
     * {@code JSON.stringify(value)}.
     *
     * @throws WireFormatException when the value holds a type that has no JSON form
     */
    public static String stringify(Object value) {
        StringBuilder out = new StringBuilder(64);
        write(out, value);
        return out.toString();
    }

    /** {@code JSON.stringify(text)}: the string in quotes, escaped as JavaScript escapes it. */
    public static String quote(String text) {
        StringBuilder out = new StringBuilder(text.length() + 2);
        writeString(out, text);
        return out.toString();
    }

    private static void write(StringBuilder out, Object value) {
        if (value == null) {
            out.append("null");
        } else if (value instanceof CharSequence text) {
            writeString(out, text.toString());
        } else if (value instanceof Boolean bool) {
            out.append(bool.booleanValue() ? "true" : "false");
        } else if (value instanceof Number number) {
            out.append(JsNumbers.isFinite(number) ? JsNumbers.toJsString(number) : "null");
        } else if (value instanceof Map<?, ?> map) {
            writeObject(out, map);
        } else if (value instanceof Collection<?> items) {
            writeArray(out, items);
        } else if (value instanceof Object[] items) {
            writeArray(out, java.util.Arrays.asList(items));
        } else if (value.getClass().isArray()) {
            writeArray(out, primitives(value));
        } else if (value instanceof Character character) {
            writeString(out, character.toString());
        } else if (value instanceof Enum<?> constant) {
            writeString(out, constant.name());
        } else {
            throw new WireFormatException("cannot write a " + value.getClass().getName()
                    + " as JSON: use maps, lists, strings, numbers, booleans and null");
        }
    }

    private static void writeArray(StringBuilder out, Collection<?> items) {
        out.append('[');
        boolean first = true;
        for (Object item : items) {
            if (!first) {
                out.append(',');
            }
            first = false;
            write(out, item);
        }
        out.append(']');
    }

    private static List<Object> primitives(Object array) {
        int length = java.lang.reflect.Array.getLength(array);
        List<Object> items = new ArrayList<>(length);
        for (int i = 0; i < length; i++) {
            items.add(java.lang.reflect.Array.get(array, i));
        }
        return items;
    }

    private static void writeObject(StringBuilder out, Map<?, ?> map) {
        // JavaScript's OrdinaryOwnPropertyKeys: array indexes ascending, then the other keys in creation order; two
        // Java keys with one property key (1 and "1") are one property, with the later value, as in JavaScript
        TreeMap<Long, Object> indexed = null;
        Map<String, Object> named = new LinkedHashMap<>();
        for (Map.Entry<?, ?> entry : map.entrySet()) {
            String key = propertyKey(entry.getKey());
            long index = arrayIndex(key);
            if (index >= 0) {
                if (indexed == null) {
                    indexed = new TreeMap<>();
                }
                indexed.put(index, entry.getValue());
            } else {
                named.put(key, entry.getValue());
            }
        }
        out.append('{');
        boolean first = true;
        if (indexed != null) {
            for (Map.Entry<Long, Object> entry : indexed.entrySet()) {
                first = member(out, first, Long.toString(entry.getKey()), entry.getValue());
            }
        }
        for (Map.Entry<String, Object> entry : named.entrySet()) {
            first = member(out, first, entry.getKey(), entry.getValue());
        }
        out.append('}');
    }

    private static boolean member(StringBuilder out, boolean first, String key, Object value) {
        if (!first) {
            out.append(',');
        }
        writeString(out, key);
        out.append(':');
        write(out, value);
        return false;
    }

    /** What JavaScript's ToPropertyKey makes of a Java map key. */
    private static String propertyKey(Object key) {
        if (key instanceof CharSequence text) {
            return text.toString();
        }
        if (key instanceof Number number) {
            return JsNumbers.toJsString(number);
        }
        if (key instanceof Boolean || key instanceof Character || key instanceof Enum<?>) {
            return key instanceof Enum<?> constant ? constant.name() : key.toString();
        }
        throw new WireFormatException("cannot write a map key of type "
                + (key == null ? "null" : key.getClass().getName()) + " as JSON: use strings");
    }

    /** The key's value when it is a canonical array index ("0", "12"; not "012", "-1" or "4294967295"), else -1. */
    static long arrayIndex(String key) {
        int length = key.length();
        if (length == 0 || length > 10 || (length > 1 && key.charAt(0) == '0')) {
            return -1;
        }
        long value = 0;
        for (int i = 0; i < length; i++) {
            char c = key.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value <= MAX_ARRAY_INDEX ? value : -1;
    }

    /** ECMA-262 QuoteJSONString (ES2019: lone surrogates escaped). */
    private static void writeString(StringBuilder out, String text) {
        out.append('"');
        int length = text.length();
        for (int i = 0; i < length; i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        unicodeEscape(out, c);
                    } else if (Character.isHighSurrogate(c)) {
                        if (i + 1 < length && Character.isLowSurrogate(text.charAt(i + 1))) {
                            out.append(c).append(text.charAt(++i));
                        } else {
                            unicodeEscape(out, c);
                        }
                    } else if (Character.isLowSurrogate(c)) {
                        unicodeEscape(out, c); // a low surrogate without its high one
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    private static void unicodeEscape(StringBuilder out, char c) {
        out.append("\\u").append(HEX[(c >> 12) & 0xF]).append(HEX[(c >> 8) & 0xF]).append(HEX[(c >> 4) & 0xF])
                .append(HEX[c & 0xF]);
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
        return new JsonReader(text).readDocument();
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
    static String describe(Object value) {
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
        if (value instanceof Boolean) {
            return "a boolean";
        }
        return "a number";
    }
}
