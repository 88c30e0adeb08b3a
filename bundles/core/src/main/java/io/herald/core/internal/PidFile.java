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
    private final long pid;

    private PidFile(Path path, long pid) {
        this.path = path;
        this.pid = pid;
    }

    static Path pathFor(Path home, String serverId) {
        // Ids are often IP addresses or titles with spaces; keep file names portable.
        return home.resolve("pids").resolve("herald-" + serverId.replaceAll("[^A-Za-z0-9._-]", "-"));
    }

    /**
     * @throws IllegalStateException when the pidfile names another process that is alive: another node with this id
     *     runs from the same home, and two nodes must not share an id (pidfile, locks, cluster messages)
     */
    static PidFile write(Path path, long pid) throws IOException {
        Files.createDirectories(path.getParent());
        long previous = readPid(path);
        if (previous > 0 && previous != pid) {
            if (ProcessHandle.of(previous).map(ProcessHandle::isAlive).orElse(false)) {
                throw new IllegalStateException("another node with this id is running (pid " + previous + ", " + path
                        + "): give this one another HERALD_TITLE or id");
            }
            LOG.warn("pidfile {} names pid {}, which is not running (a previous run did not stop cleanly); replacing it",
                    path, previous);
        }
        Files.writeString(path, Long.toString(pid), StandardCharsets.US_ASCII);
        LOG.info("pidfile written: {}", path);
        return new PidFile(path, pid);
    }

    /** The pid a pidfile holds, or 0 when there is none or it is unreadable. */
    private static long readPid(Path path) {
        try {
            return Long.parseLong(Files.readString(path, StandardCharsets.US_ASCII).trim());
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
    }

    Path path() {
        return path;
    }

    /** Removes the pidfile, unless it no longer holds this process's pid (another node took the id since). */
    void remove() {
        try {
            long holder = readPid(path);
            if (holder != pid) {
                LOG.warn("pidfile {} now names pid {}, not this node's {}: left in place", path, holder, pid);
                return;
            }
            Files.deleteIfExists(path);
            LOG.info("pidfile removed: {}", path);
        } catch (IOException e) {
            LOG.warn("pidfile {} could not be removed: {}", path, e.getMessage());
        }
    }
}
