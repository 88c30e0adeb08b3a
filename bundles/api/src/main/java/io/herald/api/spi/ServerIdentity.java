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
}
