package io.herald.redis;

/**
 * A command could not be run on a {@link RedisConnection}: Redis stayed unreachable for longer than the connection's
 * retry window, or the connection is down. The message names the connection and the cause. The command may or may not
 * have taken effect when the failure happened while it was in flight.
 *
 * @since 1.0
 */
public class RedisUnavailableException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String connection;

    public RedisUnavailableException(String connection, String message, Throwable cause) {
        super(message, cause);
        this.connection = connection;
    }

    /** The name of the connection that failed. */
    public String connection() {
        return connection;
    }
}
