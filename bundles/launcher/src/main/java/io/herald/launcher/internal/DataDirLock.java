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

    /** The pid the lock file names (the last node that held it; it may have ended), or null. */
    static String holder(Path file) {
        try {
            String pid = Files.readString(file, java.nio.charset.StandardCharsets.US_ASCII).strip();
            return pid.matches("\\d+") ? pid : null;
        } catch (IOException e) {
            return null;
        }
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
            String holder = holder(file);
            throw new ConfigException("another Herald node" + (holder == null ? "" : " (pid " + holder + ")")
                    + " runs with the data directory " + dataDir + ". Nodes on one host each need their own HERALD_TITLE"
                    + " (it names their id, pidfile and data directory) and, for web nodes, their own PORT");
        }
        // The holder's pid, for the message a second node gives.
        channel.truncate(0);
        channel.write(java.nio.ByteBuffer.wrap(Long.toString(ProcessHandle.current().pid())
                .getBytes(java.nio.charset.StandardCharsets.US_ASCII)), 0);
        return lock;
    }
}
