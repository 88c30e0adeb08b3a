package io.herald.redis.internal;

import java.util.HashMap;
import java.util.Map;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

import io.herald.redis.RedisConnection;
import io.herald.testing.Await;
import io.herald.testing.redis.ClusterTopology;
import io.herald.testing.redis.RedisAddress;
import io.herald.testing.redis.RedisServer;
import io.herald.testing.redis.SentinelTopology;

/** Connections to the real servers of io.herald.testing.redis, configured as a .cfg file would. */
final class TestConnections {

    static final ObjectMapper MAPPER = JsonMapper.builder().build();

    private TestConnections() {
    }

    static Map<String, Object> standaloneConfig(String name, String host, int port) {
        Map<String, Object> config = new HashMap<>();
        config.put("name", name);
        config.put("host", host);
        config.put("port", String.valueOf(port));
        // short timeouts: a dead leader is noticed quickly on a loaded test machine too
        config.put("connectTimeoutMillis", "500");
        config.put("socketTimeoutMillis", "1000");
        return config;
    }

    static HaRedisConnection standalone(String name, RedisServer server) {
        return started(standaloneConfig(name, server.host(), server.port()));
    }

    /** A standalone connection to a TLS server, trusting its throwaway CA through {@code sslCaFile}. */
    static Map<String, Object> tlsConfig(String name, RedisServer server) {
        Map<String, Object> config = standaloneConfig(name, server.host(), server.port());
        config.put("ssl", "true");
        config.put("sslCaFile", server.tlsFiles().caCertificate().toString());
        return config;
    }

    static HaRedisConnection sentinel(String name, SentinelTopology topology) {
        // a killed leader takes the sentinels down-after (2 s) plus the election: give commands room to ride it out
        return sentinel(name, topology, 10_000);
    }

    static HaRedisConnection sentinel(String name, SentinelTopology topology, long retryWindowMillis) {
        Map<String, Object> config = new HashMap<>();
        config.put("name", name);
        config.put("sentinels", topology.sentinelAddresses().stream().map(RedisAddress::toString)
                .collect(Collectors.joining(",")));
        config.put("masterName", topology.masterName());
        config.put("connectTimeoutMillis", "500");
        config.put("socketTimeoutMillis", "1000");
        config.put("retryWindowMillis", String.valueOf(retryWindowMillis));
        return started(config);
    }

    static HaRedisConnection cluster(String name, ClusterTopology topology) {
        Map<String, Object> config = new HashMap<>();
        config.put("name", name);
        config.put("clusterNodes", topology.seedNodes().stream().map(RedisAddress::toString)
                .collect(Collectors.joining(",")));
        config.put("connectTimeoutMillis", "500");
        config.put("socketTimeoutMillis", "1000");
        config.put("retryWindowMillis", "10000");
        return started(config);
    }

    static HaRedisConnection started(Map<String, Object> config) {
        HaRedisConnection connection = new HaRedisConnection(ConnectionSettings.parse(config, "test"));
        connection.start();
        Await.until(() -> connection.state() == RedisConnection.State.CONNECTED,
                "connection " + connection.name() + " CONNECTED");
        return connection;
    }

}
