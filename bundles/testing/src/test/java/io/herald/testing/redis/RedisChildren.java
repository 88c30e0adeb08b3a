package io.herald.testing.redis;

import java.util.List;

/** The redis-server processes this test JVM started and that still run: none may outlive a test class. */
final class RedisChildren {

    private RedisChildren() {
    }

    static List<String> running() {
        return ProcessHandle.current().descendants()
                .filter(ProcessHandle::isAlive)
                .filter(p -> p.info().command().map(c -> c.endsWith("redis-server")).orElse(false))
                .map(p -> p.pid() + " " + p.info().commandLine().orElse("redis-server"))
                .toList();
    }
}
