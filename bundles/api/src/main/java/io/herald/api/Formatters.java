package io.herald.api;

import java.util.Locale;

/**
 * Formatters for the conversions params need most. Query strings and form bodies carry every value as a string,
 * while JSON bodies carry numbers and booleans: each formatter here accepts both.
 *
 * @since 1.0
 */
public final class Formatters {

    private Formatters() {
    }

    /** To {@link Integer}; rejects fractions and out-of-range values. */
    public static final Formatter INTEGER = value -> {
        if (value instanceof Integer i) {
            return i;
        }
        if (value instanceof Number n && n.doubleValue() == n.intValue()) {
            return n.intValue();
        }
        try {
            return Integer.valueOf(value.toString().trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("must be an integer, was \"" + value + "\"");
        }
    };

    /** To {@link Long}. */
    public static final Formatter LONG = value -> {
        if (value instanceof Long l) {
            return l;
        }
        if (value instanceof Number n && n.doubleValue() == n.longValue()) {
            return n.longValue();
        }
        try {
            return Long.valueOf(value.toString().trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("must be an integer, was \"" + value + "\"");
        }
    };

    /** To {@link Double}; rejects NaN and infinities. */
    public static final Formatter DOUBLE = value -> {
        double d;
        if (value instanceof Number n) {
            d = n.doubleValue();
        } else {
            try {
                d = Double.parseDouble(value.toString().trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("must be a number, was \"" + value + "\"");
            }
        }
        if (Double.isNaN(d) || Double.isInfinite(d)) {
            throw new IllegalArgumentException("must be a finite number, was \"" + value + "\"");
        }
        return d;
    };

    /** To {@link Boolean}: {@code true/false}, {@code 1/0}, {@code yes/no}, {@code on/off}, any case. */
    public static final Formatter BOOLEAN = value -> {
        if (value instanceof Boolean b) {
            return b;
        }
        switch (value.toString().trim().toLowerCase(Locale.ROOT)) {
            case "true", "1", "yes", "on":
                return Boolean.TRUE;
            case "false", "0", "no", "off":
                return Boolean.FALSE;
            default:
                throw new IllegalArgumentException("must be true or false, was \"" + value + "\"");
        }
    };

    /** To its string form, trimmed. */
    public static final Formatter TRIM = value -> value.toString().trim();
}
