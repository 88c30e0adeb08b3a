package io.herald.redis.internal;

import java.util.LinkedHashMap;
import java.util.Map;

import io.herald.api.spi.HealthIndicator;

/**
 * The {@code redis.<name>} entry of the status action: CONNECTED is UP, FAILING_OVER is DEGRADED (commands are being
 * retried), DOWN is DOWN (the node is unhealthy). A connection whose configuration is wrong reports DOWN with the
 * configuration error, so the mistake shows where operators look.
 */
final class ConnectionHealth implements HealthIndicator {

    private final String name;
    private final HaRedisConnection connection;
    private final String configError;

    private ConnectionHealth(String name, HaRedisConnection connection, String configError) {
        this.name = name;
        this.connection = connection;
        this.configError = configError;
    }

    static ConnectionHealth of(HaRedisConnection connection) {
        return new ConnectionHealth(connection.name(), connection, null);
    }

    static ConnectionHealth misconfigured(String name, String configError) {
        return new ConnectionHealth(name, null, configError);
    }

    @Override
    public Health health() {
        Map<String, Object> details = new LinkedHashMap<>();
        if (connection == null) {
            details.put("error", "configuration error: " + configError);
            return new Health("redis." + name, Health.State.DOWN, details);
        }
        details.put("connection", connection.state().name());
        details.put("mode", connection.mode().name());
        details.put("address", connection.address());
        Health.State state = switch (connection.state()) {
            case CONNECTED -> Health.State.UP;
            case FAILING_OVER -> Health.State.DEGRADED;
            case DOWN -> Health.State.DOWN;
        };
        if (state != Health.State.UP && connection.lastError() != null) {
            details.put("error", connection.lastError());
        }
        return new Health("redis." + name, state, details);
    }
}
