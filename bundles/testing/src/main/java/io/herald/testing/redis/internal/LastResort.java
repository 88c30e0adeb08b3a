package io.herald.testing.redis.internal;

import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The safety net for a test that crashes or forgets to close: one JVM shutdown hook kills every redis-server this
 * JVM started and still runs (by its own {@link Process} handle, never by name) and deletes the temporary directories.
 * It cannot help when the JVM itself is killed with SIGKILL.
 */
public final class LastResort {

    private static final Set<Process> PROCESSES = ConcurrentHashMap.newKeySet();
    private static final Set<Path> DIRECTORIES = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(LastResort::cleanUp, "herald-redis-last-resort"));
    }

    private LastResort() {
    }

    public static void track(Process process) {
        PROCESSES.add(process);
    }

    public static void untrack(Process process) {
        PROCESSES.remove(process);
    }

    public static void track(Path directory) {
        DIRECTORIES.add(directory);
    }

    public static void untrack(Path directory) {
        DIRECTORIES.remove(directory);
    }

    private static void cleanUp() {
        for (Process process : PROCESSES) {
            process.destroyForcibly();
        }
        for (Process process : PROCESSES) {
            try {
                process.waitFor(2, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        for (Path directory : DIRECTORIES) {
            TempDirs.deleteQuietly(directory);
        }
    }
}
