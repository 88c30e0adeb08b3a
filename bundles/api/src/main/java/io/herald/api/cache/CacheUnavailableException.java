package io.herald.api.cache;

/**
 * The cache's store cannot be reached (for example a Redis failover lasted longer than the connection's retry window).
 * The operation may or may not have taken effect when the failure happened while it was in flight.
 *
 * @since 1.0
 */
public class CacheUnavailableException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public CacheUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
