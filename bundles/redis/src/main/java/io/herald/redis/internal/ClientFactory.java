package io.herald.redis.internal;

import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import redis.clients.jedis.ClientSetInfoConfig;
import redis.clients.jedis.ConnectionPoolConfig;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.RedisClusterClient;
import redis.clients.jedis.RedisProtocol;
import redis.clients.jedis.RedisSentinelClient;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.util.Delay;

/**
 * Builds the Jedis 8 client of a connection: {@link RedisClient}, {@link RedisSentinelClient} or
 * {@link RedisClusterClient} (Jedis 8 has no JedisPooled nor JedisSentineled). Building a Sentinel or Cluster client
 * asks the sentinels or seed nodes at once, so it throws while they cannot be reached; the caller retries.
 */
final class ClientFactory {

    private ClientFactory() {
    }

    static UnifiedJedis create(ConnectionSettings settings) {
        ConnectionPoolConfig pool = new ConnectionPoolConfig();
        pool.setMaxTotal(settings.poolMaxTotal());
        pool.setMaxIdle(settings.poolMaxTotal());
        // a caller waits for a pooled connection no longer than it would retry a broken one
        pool.setMaxWait(Duration.ofMillis(Math.max(1000, settings.retryWindowMillis())));
        DefaultJedisClientConfig.Builder data = clientConfig(settings, settings.user(), settings.password())
                .database(settings.db()).clientName("herald-" + settings.name());
        if (settings.tls().enabled()) {
            // the data nodes only: the sentinels are asked in plain text (sentinelClientConfig below)
            data.ssl(true).sslSocketFactory(TlsTrust.socketFactory(settings.tls()))
                    .sslParameters(TlsTrust.parameters(settings.tls()));
        }
        DefaultJedisClientConfig client = data.build();
        return switch (settings.mode()) {
            case STANDALONE -> RedisClient.builder().hostAndPort(settings.host(), settings.port())
                    .clientConfig(client).poolConfig(pool).build();
            case SENTINEL -> RedisSentinelClient.builder().masterName(settings.masterName())
                    .sentinels(hosts(settings.sentinels()))
                    .sentinelClientConfig(clientConfig(settings, null, settings.sentinelPassword()).build())
                    // Jedis re-listens to a lost sentinel after 5 s by default; a switch must not wait that long
                    .sentinelReconnectDelay(Delay.constant(Duration.ofMillis(500)))
                    .clientConfig(client).poolConfig(pool).build();
            case CLUSTER -> RedisClusterClient.builder().nodes(hosts(settings.clusterNodes()))
                    .clientConfig(client).poolConfig(pool)
                    // our own retry window bounds the whole command; Jedis' retries only cover one attempt of it
                    .maxAttempts(5).maxTotalRetriesDuration(Duration.ofMillis(settings.socketTimeoutMillis()))
                    .topologyRefreshPeriod(Duration.ofSeconds(5)).build();
        };
    }

    /**
     * RESP2, set explicitly: Jedis 8 would otherwise negotiate RESP3 and warn against Redis 7.0 and sentinels; RESP2
     * replies are what the cache's scripts expect. CLIENT SETINFO is off because Redis before 7.2 rejects it.
     */
    private static DefaultJedisClientConfig.Builder clientConfig(ConnectionSettings settings, String user,
            String password) {
        return DefaultJedisClientConfig.builder().protocol(RedisProtocol.RESP2)
                .connectionTimeoutMillis(settings.connectTimeoutMillis())
                .socketTimeoutMillis(settings.socketTimeoutMillis())
                .clientSetInfoConfig(ClientSetInfoConfig.DISABLED)
                .user(user).password(password);
    }

    private static Set<HostAndPort> hosts(List<ConnectionSettings.Address> addresses) {
        Set<HostAndPort> hosts = new LinkedHashSet<>();
        for (ConnectionSettings.Address address : addresses) {
            hosts.add(new HostAndPort(address.host(), address.port()));
        }
        return hosts;
    }
}
