package io.herald.tasks.internal.wire;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A JSON reader that accepts exactly what JavaScript's {@code JSON.parse} accepts (RFC 8259 / ECMA-404), for
 * {@link JsJson#parse}. Hand-written rather than Jackson because {@code JSON.parse} takes escaped lone surrogates
 * (a {@code \}{@code ud800} escape), in keys too, which Jackson rejects, and because the mapping of numbers and
 * repeated keys must be JavaScript's. Whitespace is space, tab, LF and CR; strings hold no raw control characters;
 * numbers are {@code -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?}. Nesting deeper than {@value #MAX_DEPTH} is
 * refused (a precise error instead of a stack overflow).
 */
final class JsonReader {

    static final int MAX_DEPTH = 1000;

    private final String text;
    private int position;
    private int depth;

    JsonReader(String text) {
        this.text = text;
    }

    Object readDocument() {
        skipWhitespace();
        if (position == text.length()) {
            throw new WireFormatException("expected JSON, got " + (text.isEmpty() ? "an empty string"
                    : "only whitespace"));
        }
        Object value = readValue();
        skipWhitespace();
        if (position != text.length()) {
            throw error("unexpected " + describeAt(position) + " after the value");
        }
        return value;
    }

    private Object readValue() {
        if (position >= text.length()) {
            throw error("unexpected end of text, expected a value");
        }
        char c = text.charAt(position);
        return switch (c) {
            case '{' -> readObject();
            case '[' -> readArray();
            case '"' -> readString();
            case 't' -> readLiteral("true", Boolean.TRUE);
            case 'f' -> readLiteral("false", Boolean.FALSE);
            case 'n' -> readLiteral("null", null);
            default -> {
                if (c == '-' || (c >= '0' && c <= '9')) {
                    yield readNumber();
                }
                throw error("unexpected " + describeAt(position) + ", expected a value");
            }
        };
    }

    private Map<String, Object> readObject() {
        enter();
        position++; // {
        Map<String, Object> object = new LinkedHashMap<>();
        skipWhitespace();
        if (peek() == '}') {
            position++;
            depth--;
            return object;
        }
        while (true) {
            skipWhitespace();
            if (peek() != '"') {
                throw error("unexpected " + describeAt(position) + ", expected a property name in double quotes");
            }
            String name = readString();
            skipWhitespace();
            expect(':');
            skipWhitespace();
            // JavaScript: a repeated name keeps its first place and takes the last value, as LinkedHashMap.put does
            object.put(name, readValue());
            skipWhitespace();
            char next = peek();
            position++;
            if (next == '}') {
                depth--;
                return object;
            }
            if (next != ',') {
                position--;
                throw error("unexpected " + describeAt(position) + ", expected ',' or '}'");
            }
        }
    }

    private List<Object> readArray() {
        enter();
        position++; // [
        List<Object> array = new ArrayList<>();
        skipWhitespace();
        if (peek() == ']') {
            position++;
            depth--;
            return array;
        }
        while (true) {
            skipWhitespace();
            array.add(readValue());
            skipWhitespace();
            char next = peek();
            position++;
            if (next == ']') {
                depth--;
                return array;
            }
            if (next != ',') {
                position--;
                throw error("unexpected " + describeAt(position) + ", expected ',' or ']'");
            }
        }
    }

    private void enter() {
        if (++depth > MAX_DEPTH) {
            throw error("nested deeper than " + MAX_DEPTH + " levels");
        }
    }

    private String readString() {
        int start = ++position; // "
        StringBuilder out = null;
        while (true) {
            if (position >= text.length()) {
                throw error("unterminated string starting at offset " + (start - 1));
            }
            char c = text.charAt(position);
            if (c == '"') {
                String value = out == null ? text.substring(start, position) : out.toString();
                position++;
                return value;
            }
            if (c < 0x20) {
                throw error("unescaped control character U+" + String.format("%04X", (int) c) + " in a string");
            }
            if (c == '\\') {
                if (out == null) {
                    out = new StringBuilder(text.length() - start);
                    out.append(text, start, position);
                }
                out.append(readEscape());
            } else {
                if (out != null) {
                    out.append(c);
                }
                position++;
            }
        }
    }

    private char readEscape() {
        position++; // backslash
        if (position >= text.length()) {
            throw error("unterminated escape");
        }
        char c = text.charAt(position++);
        return switch (c) {
            case '"' -> '"';
            case '\\' -> '\\';
            case '/' -> '/';
            case 'b' -> '\b';
            case 'f' -> '\f';
            case 'n' -> '\n';
            case 'r' -> '\r';
            case 't' -> '\t';
            case 'u' -> {
                if (position + 4 > text.length()) {
                    throw error("incomplete \\u escape");
                }
                int value = 0;
                for (int i = 0; i < 4; i++) {
                    int digit = hexDigit(text.charAt(position + i));
                    if (digit < 0) {
                        throw error("bad \\u escape");
                    }
                    value = value * 16 + digit;
                }
                position += 4;
                yield (char) value; // lone surrogates stay as they are, as in JavaScript
            }
            default -> {
                position--;
                throw error("bad escape \\" + c);
            }
        };
    }

    private static int hexDigit(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        return c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
    }

    private Object readLiteral(String literal, Object value) {
        if (!text.startsWith(literal, position)) {
            throw error("unexpected " + describeAt(position) + ", expected a value");
        }
        position += literal.length();
        return value;
    }

    private Object readNumber() {
        int start = position;
        if (peek() == '-') {
            position++;
        }
        if (peek() == '0') {
            position++;
        } else if (isDigit(peek())) {
            skipDigits();
        } else {
            throw error("unexpected " + describeAt(position) + ", expected a digit");
        }
        boolean integer = true;
        if (peek() == '.') {
            integer = false;
            position++;
            if (!isDigit(peek())) {
                throw error("unexpected " + describeAt(position) + ", expected a digit after '.'");
            }
            skipDigits();
        }
        if (peek() == 'e' || peek() == 'E') {
            integer = false;
            position++;
            if (peek() == '+' || peek() == '-') {
                position++;
            }
            if (!isDigit(peek())) {
                throw error("unexpected " + describeAt(position) + ", expected a digit in the exponent");
            }
            skipDigits();
        }
        String number = text.substring(start, position);
        if (integer && number.length() <= 19) {
            long value;
            try {
                value = Long.parseLong(number);
            } catch (NumberFormatException e) {
                return Double.parseDouble(number); // beyond long: JavaScript holds the nearest double
            }
            return value >= Integer.MIN_VALUE && value <= Integer.MAX_VALUE ? (Object) (int) value : (Object) value;
        }
        return Double.parseDouble(number); // correctly rounded, as JavaScript's StringToNumber
    }

    private void skipDigits() {
        while (isDigit(peek())) {
            position++;
        }
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    /** The character at the position, or 0 past the end (never a valid token start). */
    private char peek() {
        return position < text.length() ? text.charAt(position) : 0;
    }

    private void expect(char c) {
        if (peek() != c) {
            throw error("unexpected " + describeAt(position) + ", expected '" + c + "'");
        }
        position++;
    }

    private void skipWhitespace() {
        while (position < text.length()) {
            char c = text.charAt(position);
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                return;
            }
            position++;
        }
    }

    private String describeAt(int at) {
        if (at >= text.length()) {
            return "end of text";
        }
        char c = text.charAt(at);
        return c < 0x20 || c > 0x7e ? "character U+" + String.format("%04X", (int) c) : "'" + c + "'";
    }

    private WireFormatException error(String what) {
        return new WireFormatException("not JSON: " + what + " at offset " + position + " in: "
                + WireFormatException.excerpt(text));
    }
}
