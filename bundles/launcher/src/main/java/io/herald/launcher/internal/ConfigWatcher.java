package io.herald.launcher.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Re-stages the config while the server runs, so an edit of {@code config/*.cfg} reaches the components
 * (FileInstall then updates ConfigAdmin, and DS reconfigures or restarts the component). A broken edit is
 * logged once and the last good staged files stay in place: a typo must not take a running server down.
 *
 * <p>The sources are read when the file system reports a change in their directories ({@link DirectoryEvents}), and
 * every {@value #IDLE_POLL_MILLIS} ms in any case, for file systems that report nothing (NFS, some container mounts);
 * every {@value #POLL_MILLIS} ms where there are no events at all. Each read checksums every {@code .cfg}: twice a second,
 * that was half of an idle node's CPU once the JIT had settled (bench/README.md).
 */
final class ConfigWatcher implements AutoCloseable {

    static final long POLL_MILLIS = 500;
    static final long IDLE_POLL_MILLIS = 2000;
    private static final Logger LOG = LoggerFactory.getLogger(ConfigWatcher.class);

    private final ConfigStager stager;
    private final Consumer<Map<String, Map<String, String>>> onStaged;
    private final ScheduledExecutorService executor;
    private DirectoryEvents events;
    private String lastError;

    /**
     * @param onStaged called on the watcher's thread with the staged values after every change that was staged
     *                 (the launcher installs a deferred feature there once a configuration matches its rule)
     */
    ConfigWatcher(ConfigStager stager, Consumer<Map<String, Map<String, String>>> onStaged) {
        this.stager = stager;
        this.onStaged = onStaged;
        this.executor = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "herald-config-watcher");
            thread.setDaemon(true);
            return thread;
        });
    }

    void start() {
        start(IDLE_POLL_MILLIS);
    }

    /** Watches from now on, reading the sources every {@code idlePollMillis} whatever the file system reports. */
    void start(long idlePollMillis) {
        long every = idlePollMillis;
        List<Path> dirs = stager.sourceDirs();
        try {
            events = DirectoryEvents.open(dirs.get(0).getFileSystem(), "herald-config-events", executor, this::poll);
            events.watch(dirs);
        } catch (IOException e) {
            every = Math.min(idlePollMillis, POLL_MILLIS);
            LOG.info("config/ is read every {} ms: no file change events ({})", every, e.toString());
        }
        executor.scheduleWithFixedDelay(this::poll, every, every, TimeUnit.MILLISECONDS);
    }

    /** Whether the sources are broken (the staged config is the last good one). */
    boolean inError() {
        return lastError != null;
    }

    /** One poll; package-private so tests can drive it without timing. */
    void poll() {
        if (events != null) {
            events.watch(stager.sourceDirs()); // an environment's directory made later, a reload's new directories
        }
        try {
            if (stager.sourcesChanged()) {
                stager.stage();
                if (lastError != null) {
                    LOG.info("Config is valid again; staged to {}", stager.stagedDir());
                } else {
                    LOG.info("Config changed; staged to {}", stager.stagedDir());
                }
                lastError = null;
                notifyStaged();
            } else if (lastError != null) {
                // The broken edit was reverted to exactly what is staged: nothing to stage, but the error is over.
                LOG.info("Config is valid again: the sources are back to what is in use");
                lastError = null;
            }
        } catch (ConfigException e) {
            if (!e.getMessage().equals(lastError)) {
                LOG.error("Config not applied, the previous config stays in use: {}", e.getMessage());
                lastError = e.getMessage();
            }
        } catch (Exception e) {
            // A failing poll must not end the schedule: the next change may well succeed.
            LOG.error("Config staging failed: {}", e.toString(), e);
        }
    }

    private void notifyStaged() {
        try {
            onStaged.accept(stager.stagedValues());
        } catch (RuntimeException e) {
            // The config itself was staged; what reacts to it reports its own failure and must not stop the polls.
            LOG.error("Reacting to the staged config failed: {}", e.toString(), e);
        }
    }

    @Override
    public void close() {
        executor.shutdownNow();
        if (events != null) {
            events.close();
        }
    }
}
