package io.herald.testing.redis;

/**
 * A test program that starts a server and dies without closing it, as a crashed test would: the shutdown hook must
 * stop the server. Prints {@code REDIS <redis pid> <directory>} among its log lines.
 */
public final class CrashingMain {

    private CrashingMain() {
    }

    public static void main(String[] args) {
        RedisServer redis = RedisServer.start();
        try (RespClient client = redis.client()) {
            System.out.println("REDIS " + client.info("server").get("process_id") + " " + redis.directory());
            System.out.flush();
        }
        throw new IllegalStateException("crashing without closing " + redis);
    }
}
