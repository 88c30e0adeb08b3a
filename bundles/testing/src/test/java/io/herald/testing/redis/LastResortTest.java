package io.herald.testing.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

class LastResortTest {

    @Test
    void a_jvm_that_dies_without_closing_leaves_no_redis_server_and_no_directory() throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process child = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
                CrashingMain.class.getName()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String line;
        try (BufferedReader out = new BufferedReader(
                new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            // the child logs to stdout too: pick the line it printed for us
            line = out.lines().filter(l -> l.matches("REDIS \\d+ .+")).findFirst().orElse(null);
            assertTrue(child.waitFor(30, TimeUnit.SECONDS), "the crashing JVM did not exit");
        }
        assertTrue(line != null, "no 'REDIS <pid> <dir>' line from the child");
        String[] fields = line.split(" ", 3);
        long redisPid = Long.parseLong(fields[1]);
        Path directory = Path.of(fields[2]);

        Optional<ProcessHandle> redis = ProcessHandle.of(redisPid);
        boolean leftRunning = redis.map(ProcessHandle::isAlive).orElse(false);
        if (leftRunning) {
            redis.get().destroyForcibly(); // our own grandchild: do not leave it behind even when the test fails
        }
        assertNotEquals(0, child.exitValue());
        assertFalse(leftRunning, "redis-server " + redisPid + " outlived the JVM that started it");
        assertFalse(Files.exists(directory), directory + " outlived the JVM that created it");
        assertEquals(0, RedisChildren.running().size());
    }
}
