package io.herald.redis;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Receives the messages of a {@link RedisConnection#subscribe subscription}.
 *
 * @since 1.0
 */
@ConsumerType
@FunctionalInterface
public interface RedisMessageListener {

    /** A message published on {@code channel}. An exception thrown here is logged and the subscription goes on. */
    void onMessage(String channel, String message);
}
