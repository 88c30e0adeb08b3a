package io.herald.tasks.internal.wire;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Numbers as JavaScript writes them ({@code Number.prototype.toString}, which {@code JSON.stringify} uses): JavaScript
 * has one number type, the IEEE double, so every Java number is first taken to the double JavaScript would hold, then
 * printed with the fewest digits that read back to it (ECMA-262 {@code Number::toString}): {@code 1}, not
 * {@code 1.0}; {@code 1e+21}; {@code 1e-7}; {@code 0.000001}; {@code -0} prints {@code 0}.
 *
 * <p>Why not {@link Double#toString(double)}: it writes {@code 1.0} and {@code 1.0E21}, and before JDK 19 it does not
 * always pick the shortest digits. node-resque finds jobs and lock keys by their serialized string, so every digit
 * must be the one Node writes.
 */
public final class JsNumbers {

    /** 2^53: integers up to this magnitude are exact in a double, so they print as themselves. */
    private static final long MAX_SAFE = 1L << 53;
    private static final BigInteger MAX_SAFE_BIG = BigInteger.valueOf(MAX_SAFE);

    private JsNumbers() {
    }

    /**
     * {@code String(n)} of the double JavaScript would hold for {@code number}: integers of up to 2^53 in magnitude
     * exactly, larger ones and {@link BigDecimal}s rounded to the nearest double (as {@code JSON.parse} does with their
     * digits), floats through their decimal form ({@code 0.1f} is {@code 0.1}, not {@code 0.10000000149011612}).
     *
     * @return the JavaScript text, including {@code NaN}, {@code Infinity} and {@code -Infinity}
     * @throws IllegalArgumentException for a {@link Number} type it does not know
     */
    public static String toJsString(Number number) {
        if (number instanceof Integer || number instanceof Short || number instanceof Byte
                || number instanceof AtomicInteger) {
            return Integer.toString(number.intValue());
        }
        if (number instanceof Long || number instanceof AtomicLong) {
            long value = number.longValue();
            return Math.abs(value) <= MAX_SAFE && value != Long.MIN_VALUE ? Long.toString(value)
                    : toJsString((double) value);
        }
        if (number instanceof Double value) {
            return toJsString(value.doubleValue());
        }
        if (number instanceof Float value) {
            return value.isNaN() || value.isInfinite() ? toJsString(value.doubleValue())
                    : toJsString(Double.parseDouble(Float.toString(value)));
        }
        if (number instanceof BigInteger value) {
            return value.abs().compareTo(MAX_SAFE_BIG) <= 0 ? value.toString() : toJsString(value.doubleValue());
        }
        if (number instanceof BigDecimal value) {
            return toJsString(value.doubleValue());
        }
        throw new IllegalArgumentException("cannot write a " + number.getClass().getName() + " as a JavaScript number");
    }

    /** Whether JavaScript's JSON.stringify writes {@code null} for this number (NaN and the infinities). */
    public static boolean isFinite(Number number) {
        if (number instanceof Double value) {
            return Double.isFinite(value);
        }
        if (number instanceof Float value) {
            return Float.isFinite(value);
        }
        if (number instanceof BigInteger || number instanceof BigDecimal) {
            return Double.isFinite(number.doubleValue());
        }
        return true;
    }

    /** ECMA-262 {@code Number::toString(x)} with radix 10. */
    public static String toJsString(double value) {
        if (Double.isNaN(value)) {
            return "NaN";
        }
        if (value == 0) {
            return "0"; // both zeros
        }
        if (Double.isInfinite(value)) {
            return value > 0 ? "Infinity" : "-Infinity";
        }
        double magnitude = Math.abs(value);
        String sign = value < 0 ? "-" : "";
        if (magnitude < MAX_SAFE && magnitude == Math.rint(magnitude)) {
            return sign + (long) magnitude; // the common case: an integer, printed exactly
        }
        BigDecimal shortest = shortestDigits(magnitude);
        String digits = shortest.unscaledValue().toString();
        int k = digits.length();
        int n = k - shortest.scale(); // value = digits x 10^(n - k)
        return sign + layout(digits, k, n);
    }

    /**
     * The decimal with the fewest significant digits that reads back as {@code magnitude}; when two such decimals
     * exist, the one closer to it, and of two equally close the one whose last digit is even (ECMA-262 Number::toString
     * step 5 and its note). Exact BigDecimal arithmetic: slow next to Ryu, and fast enough for the few non-integer
     * numbers a job carries.
     */
    private static BigDecimal shortestDigits(double magnitude) {
        BigDecimal exact = new BigDecimal(magnitude);
        for (int precision = 1; precision <= 17; precision++) {
            BigDecimal below = exact.round(new MathContext(precision, RoundingMode.FLOOR));
            BigDecimal above = exact.round(new MathContext(precision, RoundingMode.CEILING));
            boolean belowReads = below.doubleValue() == magnitude;
            boolean aboveReads = above.doubleValue() == magnitude;
            if (belowReads && aboveReads) {
                int closer = exact.subtract(below).compareTo(above.subtract(exact));
                if (closer == 0) {
                    return (below.unscaledValue().testBit(0) ? above : below).stripTrailingZeros();
                }
                return (closer < 0 ? below : above).stripTrailingZeros();
            }
            if (belowReads) {
                return below.stripTrailingZeros();
            }
            if (aboveReads) {
                return above.stripTrailingZeros();
            }
        }
        // 17 significant digits always identify a double; not reached
        return exact.round(new MathContext(17, RoundingMode.HALF_EVEN)).stripTrailingZeros();
    }

    /** ECMA-262 Number::toString steps 6 to 10: plain notation from 1e-7 to 1e21, exponent notation outside. */
    private static String layout(String digits, int k, int n) {
        StringBuilder out = new StringBuilder(k + 8);
        if (k <= n && n <= 21) {
            out.append(digits);
            out.append("0".repeat(n - k));
        } else if (0 < n && n <= 21) {
            out.append(digits, 0, n).append('.').append(digits, n, k);
        } else if (-6 < n && n <= 0) {
            out.append("0.").append("0".repeat(-n)).append(digits);
        } else {
            int exponent = n - 1;
            out.append(digits.charAt(0));
            if (k > 1) {
                out.append('.').append(digits, 1, k);
            }
            out.append('e').append(exponent < 0 ? '-' : '+').append(Math.abs(exponent));
        }
        return out.toString();
    }
}
