package io.herald.core;

/**
 * Text from clients made safe for one log line: control characters (CR, LF, NUL, ...) and the Unicode line separators
 * escaped, so a param or a path cannot forge a line of its own, and long text cut with its length said. The one helper
 * for this, used by the core's action log, the web server's refusal lines and the param-filtering bundle's redactor.
 *
 * @since 1.2
 */
public final class LogText {

    private LogText() {
    }

    /** {@code text} with control characters escaped; {@code null} gives an empty string. */
    public static String escape(CharSequence text) {
        return text == null ? "" : cut(text.toString(), Integer.MAX_VALUE);
    }

    /**
     * {@code text} with control characters escaped, its first {@code max} characters only, followed by
     * {@code ... (N chars)} when it was longer. A surrogate pair is never split.
     */
    public static String cut(String text, int max) {
        return cut(text, max, true);
    }

    /**
     * {@code text}'s first {@code max} characters only, followed by {@code ... (N chars)} when it was longer, with its
     * control characters kept: for a value that a JSON encoder or a whole-line {@link #escape} escapes later, where
     * escaping here too would show {@code \\n} for a newline. A surrogate pair is never split.
     *
     * @since 1.4
     */
    public static String shorten(String text, int max) {
        return cut(text, max, false);
    }

    private static String cut(String text, int max, boolean escape) {
        if (text == null) {
            return "";
        }
        int end = text.length() <= max ? text.length() : max;
        if (end < text.length() && end > 0 && Character.isHighSurrogate(text.charAt(end - 1))) {
            end--;
        }
        StringBuilder out = null;
        for (int i = 0; i < end; i++) {
            char c = text.charAt(i);
            String escaped = escape ? escaped(c) : null;
            if (escaped != null && out == null) {
                out = new StringBuilder(end + 16).append(text, 0, i);
            }
            if (out != null) {
                if (escaped != null) {
                    out.append(escaped);
                } else {
                    out.append(c);
                }
            }
        }
        if (end == text.length()) {
            return out == null ? text : out.toString();
        }
        if (out == null) {
            out = new StringBuilder(end + 24).append(text, 0, end);
        }
        return out.append("... (").append(text.length()).append(" chars)").toString();
    }

    private static String escaped(char c) {
        switch (c) {
            case '\n':
                return "\\n";
            case '\r':
                return "\\r";
            case '\t':
                return "\\t";
            default:
                if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029') {
                    return String.format("\\u%04x", (int) c);
                }
                return null;
        }
    }
}
