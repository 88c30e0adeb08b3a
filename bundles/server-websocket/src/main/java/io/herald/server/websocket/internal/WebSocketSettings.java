package io.herald.server.websocket.internal;

import java.time.Duration;
import java.util.Map;

import io.herald.core.properties.InvalidPropertyException;
import io.herald.core.properties.ServiceProperties;

/** The WebSocket server's settings, checked. */
record WebSocketSettings(boolean enabled, String path, int maxMessageSize, int maxMessagesPerSecond, Duration idleTimeout,
        int maxConnections, int maxPendingMessages) {

    /** @throws IllegalArgumentException naming the property that is wrong */
    static WebSocketSettings read(Map<String, ?> properties) {
        String path = ServiceProperties.string(properties, "path", "/ws").trim();
        if (!path.matches("/[A-Za-z0-9._~!$&'()*+,=:@/-]*")) {
            throw new InvalidPropertyException("path", "path must be a URL path such as /ws, was \"" + path + "\"");
        }
        return new WebSocketSettings(ServiceProperties.bool(properties, "enabled", true), path,
                atLeast(properties, "maxMessageSize", 65536, 16), atLeast(properties, "maxMessagesPerSecond", 100, 1),
                Duration.ofMillis(ServiceProperties.longValue(properties, "idleTimeout", 300_000)),
                atLeast(properties, "maxConnections", 10_000, 1), atLeast(properties, "maxPendingMessages", 1000, 1));
    }

    private static int atLeast(Map<String, ?> properties, String key, int fallback, int min) {
        int value = ServiceProperties.integer(properties, key, fallback);
        if (value < min) {
            throw new InvalidPropertyException(key, key + " must be at least " + min + ", was " + value);
        }
        return value;
    }
}
