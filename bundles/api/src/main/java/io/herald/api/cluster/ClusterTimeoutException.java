package io.herald.api.cluster;

/**
 * No node answered a {@linkplain ClusterBus#callConnectionOwner call for a connection} in time: no node holds the
 * connection, or the one that does is down, cut off or too slow.
 *
 * @since 1.0
 */
public class ClusterTimeoutException extends ClusterException {

    private static final long serialVersionUID = 1L;

    public ClusterTimeoutException(String message) {
        super(message);
    }
}
