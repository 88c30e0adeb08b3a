package io.herald.api.cluster;

import java.time.Instant;

import org.osgi.annotation.versioning.ProviderType;

/**
 * A message published on the cluster bus, as a subscriber receives it. Its sender is authenticated: the message was
 * signed with this cluster's {@code serverToken}.
 *
 * @since 1.0
 */
@ProviderType
public interface ClusterMessage {

    String channel();

    /** The id of the node that published it. */
    String senderId();

    /** When the sender published it, by the sender's clock. */
    Instant sentAt();

    /**
     * The message read as {@code type}: a record or bean, {@code String}, {@code Map}, {@code List}, a number...
     *
     * @throws IllegalArgumentException when the message cannot be read as {@code type}
     */
    <T> T payload(Class<T> type);

    /** The message as JSON text. */
    String payloadJson();
}
