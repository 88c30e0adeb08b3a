package io.herald.redis.internal;

import java.util.Map;
import java.util.function.Function;

import io.herald.redis.RedisConnections;
import io.herald.redis.RedisMessageListener;
import io.herald.redis.RedisSubscription;
import redis.clients.jedis.UnifiedJedis;

/** Connections opened without the framework ({@link RedisConnections#open}): the service's implementation, started. */
public final class StandaloneConnections {

    private StandaloneConnections() {
    }

    public static RedisConnections.Opened open(Map<String, ?> properties) {
        ConnectionSettings settings = ConnectionSettings.parse(properties, "default");
        if (settings == null) {
            throw new IllegalArgumentException("no Redis is configured: give host, sentinels or clusterNodes");
        }
        HaRedisConnection connection = new HaRedisConnection(settings);
        connection.start();
        return new Opened(connection);
    }

    private record Opened(HaRedisConnection connection) implements RedisConnections.Opened {

        @Override
        public String name() {
            return connection.name();
        }

        @Override
        public Mode mode() {
            return connection.mode();
        }

        @Override
        public State state() {
            return connection.state();
        }

        @Override
        public <T> T execute(Function<UnifiedJedis, T> command) {
            return connection.execute(command);
        }

        @Override
        public RedisSubscription subscribe(RedisMessageListener listener, String... channels) {
            return connection.subscribe(listener, channels);
        }

        @Override
        public void close() {
            connection.close();
        }
    }
}
