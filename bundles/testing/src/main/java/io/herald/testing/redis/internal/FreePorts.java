package io.herald.testing.redis.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Set;

/**
 * Picks free loopback ports by letting the kernel choose one ({@link ServerSocket} on port 0). The port is released
 * before Redis binds it, so another process may take it in between: {@link RedisNode} retries on that race.
 */
public final class FreePorts {

    /** Redis Cluster listens on its port and on port + 10000 (the cluster bus). */
    public static final int CLUSTER_BUS_OFFSET = 10000;

    /** Ports a developer's own Redis, Sentinel or Cluster bus may use: never picked, even if free now. */
    private static final Set<Integer> RESERVED = Set.of(6379, 16379, 26379);

    private static final int ATTEMPTS = 200;

    private FreePorts() {
    }

    /** A port free on 127.0.0.1 now; with {@code clusterBus}, port + 10000 is free too. */
    public static int pick(boolean clusterBus) {
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            try (ServerSocket socket = bind(0)) {
                int port = socket.getLocalPort();
                if (RESERVED.contains(port)) {
                    continue;
                }
                if (!clusterBus) {
                    return port;
                }
                int bus = port + CLUSTER_BUS_OFFSET;
                if (bus <= 65535 && !RESERVED.contains(bus) && isFree(bus)) {
                    return port;
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot bind any port on 127.0.0.1", e);
            }
        }
        throw new IllegalStateException("no free port on 127.0.0.1 after " + ATTEMPTS + " attempts");
    }

    /** Whether {@code port} can be bound on 127.0.0.1 right now. */
    public static boolean isFree(int port) {
        try (ServerSocket socket = bind(port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static ServerSocket bind(int port) throws IOException {
        return new ServerSocket(port, 1, InetAddress.getLoopbackAddress());
    }
}
