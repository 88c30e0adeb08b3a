package io.herald.server.web.internal;

/**
 * Text a client chose, fit for one log line: control characters (CR and LF among them) and the Unicode line
 * separators escaped, so it cannot start a forged line, and cut to a length with a marker saying how long it was.
 */
final class LogText {

    private LogText() {
    }

    static String cut(String text, int max) {
        if (text == null) {
            return "";
        }
        int end = Math.min(text.length(), max);
        if (end < text.length() && end > 0 && Character.isHighSurrogate(text.charAt(end - 1))) {
            end--;
        }
        StringBuilder out = new StringBuilder(end + 16);
        for (int i = 0; i < end; i++) {
            char c = text.charAt(i);
            if (c == '\n') {
                out.append("\\n");
            } else if (c == '\r') {
                out.append("\\r");
            } else if (c == '\t') {
                out.append("\\t");
            } else if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029') {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        if (end < text.length()) {
            out.append("... (").append(text.length()).append(" chars)");
        }
        return out.toString();
    }
}
