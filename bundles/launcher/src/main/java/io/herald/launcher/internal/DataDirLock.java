package io.herald.launcher.internal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Keeps two nodes from sharing one data directory. A second node started from the same home would re-stage
 * the first node's config (which FileInstall would then apply to the running node) and fight over the Felix
 * cache; it is refused before it touches anything. The operating system releases the lock when the process ends,
 * however it ends.
 */
final class DataDirLock {

    static final String LOCK_FILE = ".herald.lock";

    private DataDirLock() {
    }

    /**
     * @return the held lock; keep it referenced for the life of the process
     * @throws ConfigException when another process holds the lock
     */
    static FileLock acquire(Path dataDir) throws ConfigException, IOException {
        Files.createDirectories(dataDir);
        Path file = dataDir.resolve(LOCK_FILE);
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException sameProcess) {
            lock = null;
        }
        if (lock == null) {
            channel.close();
            throw new ConfigException(dataDir + " is in use by another Herald node; give this one its own"
                    + " data directory with HERALD_DATA (or its own PROJECT_ROOT)");
        }
        return lock;
    }
}
