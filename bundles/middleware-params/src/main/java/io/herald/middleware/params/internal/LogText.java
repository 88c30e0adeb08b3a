package io.herald.middleware.params.internal;

/**
 * Text fit for one log line: control characters (and the Unicode line and paragraph separators) escaped, so a value
 * cannot start a forged line, and long text cut with a marker saying how long it was (Actionhero's
 * {@code maxLogStringLength}).
 */
final class LogText {

    private LogText() {
    }

    /** {@code text} with control characters escaped. */
    static String escape(String text) {
        return cut(text, Integer.MAX_VALUE);
    }

    /**
     * {@code text} with control characters escaped, its first {@code max} characters only, followed by
     * {@code ... (N chars)} when it was longer. A surrogate pair is never split.
     */
    static String cut(String text, int max) {
        int end = text.length() <= max ? text.length() : max;
        if (end < text.length() && end > 0 && Character.isHighSurrogate(text.charAt(end - 1))) {
            end--;
        }
        StringBuilder out = null;
        for (int i = 0; i < end; i++) {
            char c = text.charAt(i);
            String escaped = escaped(c);
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
