package io.herald.redis;

import org.osgi.annotation.versioning.ProviderType;

/**
 * A subscription made by {@link RedisConnection#subscribe}. It stays until closed, resubscribing after failovers.
 *
 * @since 1.0
 */
@ProviderType
public interface RedisSubscription extends AutoCloseable {

    /** Whether the subscription is confirmed by Redis now (false while it resubscribes, and after close). */
    boolean isSubscribed();

    /** Unsubscribes and stops resubscribing. Idempotent. */
    @Override
    void close();
}
