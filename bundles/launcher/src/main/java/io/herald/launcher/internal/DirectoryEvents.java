package io.herald.launcher.internal;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystem;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The file system's change events for a few directories (inotify on Linux), turned into polls of a watcher on its own
 * executor: what the launcher's directory watchers ({@code deploy/}'s and the config's) listen to instead of listing
 * their directories many times a second. Events coalesce: while a poll they asked for has not started, more events ask
 * for none (a jar being copied, an editor's save, make an event per write). What changed is not passed on: the watcher lists its directories again, which also covers an event
 * queue that overflowed. A watcher keeps an idle poll for the file systems that report nothing (NFS, some container
 * mounts) and for a directory that does not exist yet (it is registered once a poll finds it, {@link #watch}).
 */
public final class DirectoryEvents implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DirectoryEvents.class);

    private final WatchService service;
    /** A poll asked for by events has not started yet. */
    private final AtomicBoolean pollQueued = new AtomicBoolean();
    /** Only the watcher's own thread registers; the forwarding thread only takes keys. */
    private final Map<Path, WatchKey> watched = new HashMap<>();

    private DirectoryEvents(WatchService service, String threadName, Executor executor, Runnable poll) {
        this.service = service;
        Thread thread = new Thread(() -> forward(executor, poll), threadName);
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * Starts turning the events of {@code fileSystem} into runs of {@code poll} on {@code executor} (the watcher's own
     * thread), from a thread of its own named {@code threadName}.
     *
     * @throws IOException when the file system has no watch service (then the watcher only polls)
     */
    public static DirectoryEvents open(FileSystem fileSystem, String threadName, Executor executor, Runnable poll)
            throws IOException {
        try {
            return new DirectoryEvents(fileSystem.newWatchService(), threadName, executor, poll);
        } catch (UnsupportedOperationException e) {
            throw new IOException("no watch service: " + e, e);
        }
    }

    /**
     * Watches exactly {@code dirs} from now on: each one that exists and is not watched yet is registered (again after it
     * was removed and came back), and the others watched so far are dropped. Call it from the watcher's poll.
     */
    public synchronized void watch(Collection<Path> dirs) {
        watched.entrySet().removeIf(entry -> {
            if (!dirs.contains(entry.getKey())) {
                entry.getValue().cancel();
                return true;
            }
            return !entry.getValue().isValid();
        });
        for (Path dir : dirs) {
            if (!watched.containsKey(dir)) {
                try {
                    watched.put(dir, dir.register(service, StandardWatchEventKinds.ENTRY_CREATE,
                            StandardWatchEventKinds.ENTRY_DELETE, StandardWatchEventKinds.ENTRY_MODIFY));
                } catch (IOException | ClosedWatchServiceException e) {
                    // not there (yet), or closing: a later poll registers it
                }
            }
        }
    }

    private void forward(Executor executor, Runnable poll) {
        try {
            while (true) {
                WatchKey key = service.take();
                key.pollEvents(); // what changed is read from the listing, which also sees overflows
                key.reset();
                if (pollQueued.compareAndSet(false, true)) {
                    executor.execute(() -> {
                        pollQueued.set(false); // events from here on ask for the next poll
                        poll.run();
                    });
                }
            }
        } catch (InterruptedException | ClosedWatchServiceException | RejectedExecutionException closed) {
            // close(), or the watcher's executor shut down first
        }
    }

    /** Stops the events; the watcher's own polls are its to stop. */
    @Override
    public void close() {
        try {
            service.close();
        } catch (IOException e) {
            LOG.debug("closing a watch service: {}", e.toString());
        }
    }
}
