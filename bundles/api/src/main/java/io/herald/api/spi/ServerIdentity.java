package io.herald.api.spi;

import java.time.Instant;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Who this node is. Provided by the core.
 *
 * @since 1.0
 */
@ProviderType
public interface ServerIdentity {

    /** The server id: {@code HERALD_TITLE}, else the configured id, else the external IP address (Actionhero's order). */
    String id();

    /** Herald's version. */
    String version();

    /** {@code development}, {@code production}, {@code test}, or another name chosen by {@code HERALD_ENV}. */
    String environment();

    Instant startedAt();

    default boolean isProduction() {
        return "production".equals(environment());
    }

    /**
     * Whether the cluster's {@code serverToken} is one every Herald installation knows: empty, or the placeholder
     * {@code change-me} the default configuration ships. Cluster messages are signed with it, so then any node that
     * reaches the same cluster transport (the same Redis) can join this cluster, read its messages and call its
     * handlers. Production nodes refuse to start with such a token; development nodes use it by default.
     *
     * <p>The default answers {@code false}: an identity that does not know the token makes no claim about it.
     *
     * @since 1.2
     */
    default boolean placeholderServerToken() {
        return false;
    }
}
