package io.herald.api.cluster;

import java.time.Instant;
import java.util.Objects;

/**
 * A node of the cluster as this node knows it.
 *
 * @param id the node's server id
 * @param joinedAt when the node joined the cluster, by its own clock
 * @param lastSeen when this node last received a message from it, by this node's clock
 * @since 1.0
 */
public record ClusterMember(String id, Instant joinedAt, Instant lastSeen) {

    public ClusterMember {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(joinedAt, "joinedAt");
        Objects.requireNonNull(lastSeen, "lastSeen");
    }
}
