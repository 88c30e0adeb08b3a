package io.herald.api.cluster;

import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/**
 * One node's answer to a cluster call: the value its {@link ClusterCallHandler} returned, or an error.
 *
 * @since 1.0
 */
@ProviderType
public interface ClusterReply {

    /** The node that answered. */
    String nodeId();

    /**
     * Why the call failed on that node: the message of the exception its handler threw, or that it has no handler for
     * the method. Empty when the handler returned normally.
     */
    Optional<String> error();

    default boolean isError() {
        return error().isPresent();
    }

    /**
     * The value the handler returned, read as {@code type}; {@code null} when it returned {@code null}.
     *
     * @throws IllegalStateException when this is an error reply
     * @throws IllegalArgumentException when the value cannot be read as {@code type}
     */
    <T> T result(Class<T> type);

    /** The value the handler returned, as JSON text ({@code null} for an error reply). */
    String resultJson();
}
