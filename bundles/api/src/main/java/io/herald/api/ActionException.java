package io.herald.api;

/**
 * Thrown by actions and middleware to end a call with a status and a message for the client.
 *
 * <p>The message is shown to the client as the response's {@code error} field, so it must not leak internals.
 * Actions never write error responses themselves: each transport turns this exception into its own error format.
 *
 * @since 1.0
 */
public class ActionException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int status;

    public ActionException(int status, String message) {
        this(status, message, null);
    }

    public ActionException(int status, String message, Throwable cause) {
        super(message, cause);
        if (status < 100 || status > 599) {
            throw new IllegalArgumentException("status must be between 100 and 599, was " + status);
        }
        this.status = status;
    }

    /** The status, between 100 and 599: the HTTP status on the web transport. */
    public int status() {
        return status;
    }

    public static ActionException badRequest(String message) {
        return new ActionException(400, message);
    }

    public static ActionException unauthorized(String message) {
        return new ActionException(401, message);
    }

    public static ActionException forbidden(String message) {
        return new ActionException(403, message);
    }

    public static ActionException notFound(String message) {
        return new ActionException(404, message);
    }

    public static ActionException conflict(String message) {
        return new ActionException(409, message);
    }

    public static ActionException unprocessable(String message) {
        return new ActionException(422, message);
    }
}
