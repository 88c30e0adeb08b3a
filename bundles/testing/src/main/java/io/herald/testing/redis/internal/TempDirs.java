package io.herald.testing.redis.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Temporary directories for Redis configs, logs and cluster state, deleted with everything in them. */
public final class TempDirs {

    private TempDirs() {
    }

    /** A new directory under {@code java.io.tmpdir}, registered with {@link LastResort}. */
    public static Path create(String prefix) {
        try {
            Path directory = Files.createTempDirectory(prefix);
            LastResort.track(directory);
            return directory;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temporary directory", e);
        }
    }

    /** Deletes {@code directory} and its contents and forgets it; a missing directory is fine. */
    public static void delete(Path directory) {
        if (Files.exists(directory)) {
            try (Stream<Path> paths = Files.walk(directory)) {
                for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(path);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot delete " + directory, e);
            }
        }
        LastResort.untrack(directory);
    }

    static void deleteQuietly(Path directory) {
        try {
            delete(directory);
        } catch (UncheckedIOException e) {
            // the JVM is going down; a leftover file in /tmp is the lesser evil than a hanging hook
        }
    }
}
