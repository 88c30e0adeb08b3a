package io.herald.api.spi;

import java.util.Map;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Reports the health of one part of the node (a Redis connection, the task workers, ...). Every such service is
 * shown by the {@code status} action; a {@link Health.State#DOWN} part makes the node unhealthy.
 *
 * @since 1.0
 */
@ConsumerType
public interface HealthIndicator {

    Health health();

    /**
     * @param name the part reported on, e.g. {@code redis.client}
     * @param state its state
     * @param details what the {@code status} action shows of it
     */
    record Health(String name, State state, Map<String, Object> details) {

        public enum State { UP, DEGRADED, DOWN }
    }
}
