package io.herald.testing.redis;

/**
 * An error reply from Redis ({@code -ERR ...}, {@code -NOAUTH ...}, {@code -MOVED ...}); the message is the reply
 * without the leading {@code -}.
 *
 * @since 1.0
 */
public final class RespException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public RespException(String error) {
        super(error);
    }

    /** The error's first word, such as {@code ERR}, {@code NOAUTH}, {@code WRONGPASS} or {@code MOVED}. */
    public String code() {
        String message = getMessage();
        int space = message.indexOf(' ');
        return space < 0 ? message : message.substring(0, space);
    }
}
