package io.herald.testing.redis;

import java.util.Objects;

/**
 * Where a Redis server or sentinel listens. {@link #toString()} gives {@code host:port}, the form {@code redis-cli}
 * and most clients accept.
 *
 * @param host the host, {@code 127.0.0.1} for everything this package starts
 * @param port the TCP port
 * @since 1.0
 */
public record RedisAddress(String host, int port) {

    public RedisAddress {
        Objects.requireNonNull(host, "host");
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
    }

    /** Parses {@code host:port}, as Redis prints addresses (a trailing {@code @busport} is ignored). */
    public static RedisAddress parse(String hostAndPort) {
        String address = hostAndPort;
        int at = address.indexOf('@');
        if (at >= 0) {
            address = address.substring(0, at);
        }
        int colon = address.lastIndexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException("not host:port: " + hostAndPort);
        }
        return new RedisAddress(address.substring(0, colon), Integer.parseInt(address.substring(colon + 1)));
    }

    /** {@code redis://host:port}, for clients configured by URI. */
    public String uri() {
        return "redis://" + host + ":" + port;
    }

    @Override
    public String toString() {
        return host + ":" + port;
    }
}
