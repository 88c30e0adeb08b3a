package io.herald.core.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code pids/herald-<id>}, holding the process id: written at start, removed at stop, as Actionhero's
 * {@code pids/actionhero-<id>} ({@code src/classes/process/pid.ts}).
 */
final class PidFile {

    private static final Logger LOG = LoggerFactory.getLogger(PidFile.class);

    private final Path path;

    private PidFile(Path path) {
        this.path = path;
    }

    static Path pathFor(Path home, String serverId) {
        // Ids are often IP addresses or titles with spaces; keep file names portable.
        return home.resolve("pids").resolve("herald-" + serverId.replaceAll("[^A-Za-z0-9._-]", "-"));
    }

    static PidFile write(Path path, long pid) throws IOException {
        Files.createDirectories(path.getParent());
        if (Files.exists(path)) {
            LOG.warn("pidfile {} exists (a previous run did not stop cleanly, or another node has this id); replacing it", path);
        }
        Files.writeString(path, Long.toString(pid), StandardCharsets.US_ASCII);
        LOG.info("pidfile written: {}", path);
        return new PidFile(path);
    }

    Path path() {
        return path;
    }

    void remove() {
        try {
            Files.deleteIfExists(path);
            LOG.info("pidfile removed: {}", path);
        } catch (IOException e) {
            LOG.warn("pidfile {} could not be removed: {}", path, e.getMessage());
        }
    }
}
