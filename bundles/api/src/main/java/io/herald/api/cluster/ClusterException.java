package io.herald.api.cluster;

/**
 * The cluster bus could not do what was asked: the transport cannot send (Redis unreachable, say), or the bus stopped.
 *
 * @since 1.0
 */
public class ClusterException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public ClusterException(String message) {
        super(message);
    }

    public ClusterException(String message, Throwable cause) {
        super(message, cause);
    }
}
