package io.herald.api.chat;

/**
 * A chat operation that cannot be done: an unknown room, a bad name, a message too large, a refusal by middleware.
 * The message is the client's.
 *
 * @since 1.0
 */
public class ChatException extends Exception {

    private static final long serialVersionUID = 1L;

    public ChatException(String message) {
        super(message);
    }
}
