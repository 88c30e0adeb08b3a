package io.herald.launcher.internal.deploy;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.herald.launcher.internal.DirectoryEvents;
import io.herald.launcher.internal.framework.ComponentCheck;
import io.herald.launcher.spi.Deployment;
import io.herald.launcher.spi.Deployments;

/**
 * Watches {@code deploy/} and applies its changes as {@link DeployTransaction}s, one at a time on its own thread.
 *
 * <p>The directory is listed (names, sizes, modification times; nothing is read) when the file system reports a change
 * in it, then every {@value #POLL_MILLIS} ms until the change is applied, and every {@value #IDLE_POLL_MILLIS} ms
 * in any case, for file systems that report nothing (NFS, some container mounts) and a {@code deploy/} created later.
 * An idle node so lists it twice a second rather than forty times (it was a poll every 25 ms: half of an idle node's
 * CPU). A change is applied once the directory has been quiet for {@value #QUIET_MILLIS} ms, so jars copied together (an action
 * bundle and the library bundles it needs) form one change. A {@code .jar} that does not read as a complete jar may still
 * be being written: it waits until it changes again, and after {@value #INCOMPLETE_MILLIS} ms unchanged it is reported
 * as not a jar. Hidden files ({@code .hello.jar.tmp}) are ignored: copy to one, then {@code mv} it into place.
 *
 * <p>A content refused because something it needs is missing is tried again after any later change that started or
 * stopped a bundle (the library it needed arrived), and on {@link #rescan}. Removed files kept running (because bundles
 * that stay need them, or because their replacement was refused) are looked at again the same way.
 */
public final class DeployDirectory implements Deployments, AutoCloseable {

    static final long POLL_MILLIS = 25;
    public static final long IDLE_POLL_MILLIS = 500;
    static final long QUIET_MILLIS = 50;
    static final long INCOMPLETE_MILLIS = 2000;
    /** The quiet period a deployed bundle's components must show after it started (they activate synchronously). */
    static final long COMPONENT_QUIET_MILLIS = 10;

    private static final Logger LOG = LoggerFactory.getLogger("io.herald.deploy");

    private final BundleContext context;
    private final ComponentCheck components;
    private final int startLevel;
    private final long settleMillis;
    private final ScheduledExecutorService executor;
    /** By file name; only the deploy thread touches it. */
    private final Map<String, DeployedFile> files = new TreeMap<>();
    private volatile List<Deployment> published = List.of();
    private volatile Path dir;
    private Map<String, FileStamp> lastListing = Map.of();
    private long lastChangeNanos;
    /** A listing changed and was not applied yet. */
    private boolean unapplied;
    /** {@link #pollSoon} scheduled a poll that has not run yet; only the deploy thread touches it. */
    private boolean pollSoonScheduled;
    private DirectoryEvents events;
    private long generation;
    private ServiceRegistration<Deployments> registration;

    /**
     * @param stagedPids the staged configuration PIDs, for the component check (a component waiting for a staged
     *        configuration is not refused)
     * @param settleMillis how long a deployed bundle's components may take to settle before the content is refused
     */
    public DeployDirectory(BundleContext context, Path dir, Supplier<Set<String>> stagedPids, int startLevel,
            long settleMillis) {
        this.context = context;
        this.dir = dir;
        this.components = new ComponentCheck(context, stagedPids);
        this.startLevel = startLevel;
        this.settleMillis = settleMillis;
        this.executor = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "herald-deploy");
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Publishes this as the {@link Deployments} service, for the core's {@code status}. */
    public void register() {
        registration = context.registerService(Deployments.class, this, null);
    }

    /**
     * Deploys what the directory holds now, on the calling thread's behalf, and waits for it: the node's start, before
     * it opens its port and lets workers take jobs.
     */
    public void deployNow() throws InterruptedException {
        await(executor.submit(() -> {
            lastListing = list();
            lastChangeNanos = System.nanoTime();
            applyChanges(true);
            return null;
        }));
    }

    /** Watches from now on. */
    public void watch() {
        watch(IDLE_POLL_MILLIS);
    }

    /** Watches from now on, listing the directory every {@code idlePollMillis} whatever the file system reports. */
    public void watch(long idlePollMillis) {
        try {
            events = DirectoryEvents.open(dir.getFileSystem(), "herald-deploy-events", executor, this::poll);
        } catch (IOException e) {
            LOG.info("deploy/ is listed every {} ms: no file change events ({})", idlePollMillis, e.toString());
        }
        executor.scheduleWithFixedDelay(this::poll, 0, idlePollMillis, TimeUnit.MILLISECONDS);
    }

    /**
     * Looks at every file again, from {@code newDir} (a new release, the USR2 reload): contents that differ from what
     * runs are deployed, files that are not there are removed, refused contents are tried again.
     */
    public CompletableFuture<Void> rescan(Path newDir) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        executor.execute(() -> {
            try {
                if (!newDir.equals(dir)) {
                    LOG.info("deploy/ is now {} (was {})", newDir, dir);
                    dir = newDir;
                }
                lastListing = list();
                lastChangeNanos = System.nanoTime();
                for (DeployedFile file : files.values()) {
                    file.handled = null; // looked at again, whatever its stamp
                }
                applyChanges(true);
                done.complete(null);
            } catch (Throwable e) {
                done.completeExceptionally(e);
            }
        });
        return done;
    }

    @Override
    public List<Deployment> deployments() {
        return published;
    }

    /** Stops watching; bundles stay as they are (the framework stops them). */
    @Override
    public void close() {
        if (registration != null) {
            try {
                registration.unregister();
            } catch (IllegalStateException alreadyGone) {
                // the framework stopped first
            }
        }
        executor.shutdownNow();
        if (events != null) {
            events.close();
        }
    }

    private void poll() {
        try {
            if (events != null) {
                events.watch(List.of(dir)); // again after a rescan moved it, or once it exists
            }
            Map<String, FileStamp> listing = list();
            long now = System.nanoTime();
            if (!listing.equals(lastListing)) {
                lastListing = listing;
                lastChangeNanos = now;
                unapplied = true;
                markNewFilesPending(listing);
            } else if (now - lastChangeNanos >= QUIET_MILLIS * 1_000_000) {
                unapplied = false;
                applyChanges(false);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException | IOException e) {
            // A failing poll must not end the schedule: the next one may well succeed.
            LOG.error("deploy/ poll failed: {}", e.toString(), e);
        }
        if (unapplied || awaitingIncomplete()) {
            pollSoon();
        }
    }

    /** The next poll in {@value #POLL_MILLIS} ms, while a change settles or a jar may still be being copied. */
    private void pollSoon() {
        if (!pollSoonScheduled) {
            try {
                executor.schedule(() -> {
                    pollSoonScheduled = false; // so that this poll may schedule the next one
                    poll();
                }, POLL_MILLIS, TimeUnit.MILLISECONDS);
                pollSoonScheduled = true;
            } catch (RejectedExecutionException closing) {
                // close()
            }
        }
    }

    private boolean awaitingIncomplete() {
        for (DeployedFile file : files.values()) {
            if (file.state == Deployment.State.PENDING && file.incompleteSinceNanos != 0) {
                return true;
            }
        }
        return false;
    }

    /** A file that appeared is PENDING while the directory settles, so status shows the deploy under way. */
    private void markNewFilesPending(Map<String, FileStamp> listing) {
        boolean added = false;
        for (String name : listing.keySet()) {
            if (!files.containsKey(name)) {
                files.put(name, new DeployedFile(name));
                added = true;
            }
        }
        if (added) {
            publish();
        }
    }

    /**
     * Applies what changed since the last change applied; with {@code retryAll}, also tries refused contents again.
     * Runs at every poll of a quiet directory, so it reads nothing and publishes nothing when nothing changed.
     */
    private void applyChanges(boolean retryAll) throws InterruptedException, IOException {
        List<DeployTransaction.Content> contents = new ArrayList<>();
        List<String> removed = new ArrayList<>();
        boolean stateChanged = false;
        long now = System.nanoTime();
        for (Map.Entry<String, FileStamp> entry : lastListing.entrySet()) {
            DeployedFile file = files.get(entry.getKey());
            FileStamp stamp = entry.getValue();
            if (file != null && stamp.equals(file.handled)) {
                if (file.state == Deployment.State.PENDING && file.incompleteSinceNanos != 0
                        && now - file.incompleteSinceNanos >= INCOMPLETE_MILLIS * 1_000_000) {
                    reportIncomplete(file);
                    stateChanged = true;
                }
                if (!(retryAll && retriable(file))) {
                    continue;
                }
            }
            DeployTransaction.Content content = read(entry.getKey(), stamp);
            if (content == null) {
                continue; // gone between the listing and the read: the next poll sees it gone
            }
            if (!content.jar().complete()) {
                DeployedFile pending = files.computeIfAbsent(entry.getKey(), DeployedFile::new);
                if (!stamp.equals(pending.handled)) {
                    pending.handled = stamp;
                    pending.incompleteSinceNanos = now;
                    pending.state(Deployment.State.PENDING, "deploy/" + pending.name + " does not read as a complete jar yet"
                            + " (still being copied?)", DeployedFile.Refusal.NONE);
                    stateChanged = true;
                }
                continue;
            }
            contents.add(content);
        }
        for (DeployedFile file : files.values()) {
            if (!lastListing.containsKey(file.name) && (!file.removed || retryAll)) {
                removed.add(file.name);
            }
        }
        if (contents.isEmpty() && removed.isEmpty()) {
            if (stateChanged) {
                publish();
            }
            return;
        }
        if (transaction(contents, removed)) {
            // Something started or stopped: what was refused for want of it, and what was kept for it, may go now.
            List<DeployTransaction.Content> retries = new ArrayList<>();
            for (DeployedFile file : new ArrayList<>(files.values())) {
                if (retriable(file) && lastListing.containsKey(file.name) && file.handled != null) {
                    DeployTransaction.Content content = read(file.name, file.handled);
                    if (content != null && content.hash().equals(file.handledHash)) {
                        retries.add(content);
                    }
                }
            }
            List<String> kept = files.values().stream().filter(f -> f.removed && f.running != null).map(f -> f.name).toList();
            if (!retries.isEmpty() || !kept.isEmpty()) {
                transaction(retries, kept);
            }
        }
        publish();
    }

    private boolean transaction(List<DeployTransaction.Content> contents, List<String> removed)
            throws InterruptedException {
        if (contents.isEmpty() && removed.isEmpty()) {
            return false;
        }
        DeployTransaction transaction = new DeployTransaction(context, files, components,
                new DeployTransaction.Settings(startLevel, settleMillis, COMPONENT_QUIET_MILLIS, ++generation));
        return transaction.apply(contents, removed);
    }

    private static boolean retriable(DeployedFile file) {
        return file.state == Deployment.State.REFUSED
                && (file.refusal == DeployedFile.Refusal.UNRESOLVED || file.refusal == DeployedFile.Refusal.FAILED);
    }

    private void reportIncomplete(DeployedFile file) {
        file.incompleteSinceNanos = 0;
        LOG.error("{}", file.refuse(null, DeployedFile.Refusal.NOT_A_BUNDLE,
                "not a jar (it does not read as a complete zip file); ignored until it changes"));
    }

    private void publish() {
        List<Deployment> list = new ArrayList<>();
        files.values().forEach(file -> list.add(file.snapshot()));
        published = List.copyOf(list);
    }

    /** The {@code *.jar} files of the directory (hidden ones excepted), by name. */
    private Map<String, FileStamp> list() throws IOException {
        Map<String, FileStamp> listing = new TreeMap<>();
        Path current = dir;
        if (!Files.isDirectory(current)) {
            return listing;
        }
        try (DirectoryStream<Path> jars = Files.newDirectoryStream(current, "*.jar")) {
            for (Path jar : jars) {
                String name = jar.getFileName().toString();
                if (name.startsWith(".")) {
                    continue;
                }
                try {
                    BasicFileAttributes attributes = Files.readAttributes(jar, BasicFileAttributes.class);
                    if (attributes.isRegularFile()) {
                        listing.put(name, new FileStamp(attributes.size(), attributes.lastModifiedTime().toMillis()));
                    }
                } catch (NoSuchFileException gone) {
                    // removed between the listing and the stat
                }
            }
        } catch (NoSuchFileException gone) {
            return Map.of();
        }
        return listing;
    }

    private DeployTransaction.Content read(String name, FileStamp stamp) throws IOException {
        try {
            byte[] bytes = Files.readAllBytes(dir.resolve(name));
            return new DeployTransaction.Content(name, stamp, bytes, sha256(bytes), JarContent.of(bytes));
        } catch (NoSuchFileException gone) {
            return null;
        }
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    private static void await(java.util.concurrent.Future<?> future) throws InterruptedException {
        try {
            future.get();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof InterruptedException interrupted) {
                throw interrupted;
            }
            throw new IllegalStateException("deploying deploy/ failed: " + cause, cause);
        }
    }
}
