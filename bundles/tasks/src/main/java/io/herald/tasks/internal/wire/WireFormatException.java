package io.herald.tasks.internal.wire;

/**
 * A stored string is not what the Resque wire format says it should be (not JSON, a job without {@code class}, ...),
 * or a Java value cannot be written as JSON. The message says what was expected and quotes the offending text.
 */
public final class WireFormatException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    public WireFormatException(String message) {
        super(message);
    }

    public WireFormatException(String message, Throwable cause) {
        super(message, cause);
    }

    /** The start of {@code text} for an error message: long payloads are cut at 200 characters. */
    static String excerpt(String text) {
        if (text == null) {
            return "null";
        }
        return text.length() <= 200 ? text : text.substring(0, 200) + "...(" + text.length() + " chars)";
    }
}
