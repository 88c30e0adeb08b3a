package io.herald.launcher.internal;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.CodeSource;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.BundleListener;
import org.slf4j.LoggerFactory;

/**
 * What runs on this node, for {@code herald bundles} ({@link BundlesCommand}): a running node keeps the list of its
 * bundles (symbolic name, version, state, the jar it came from) in {@code <data>/bundles.tsv}, rewritten after every
 * bundle event (a deploy, a refresh, a deferred feature installed) and deleted when the node stops. A file rather than a
 * port: nothing to secure or configure, and it is found by the same rule as the node's data directory
 * ({@code HERALD_TITLE}, {@code HERALD_DATA}), which is how an operator names a node on a host already.
 *
 * <p>Bundle events arrive in bursts (a deploy transaction installs, resolves and starts several bundles); one writer
 * thread coalesces them: each write lists the framework's state as it is then, and a write is queued only when none
 * is pending, so a burst costs one or two writes, never one per event, and no event is missed.
 */
final class BundleListing implements AutoCloseable {

    static final String FILE = "bundles.tsv";
    /** The first field of the header line; a reader refuses a file without it (another version's format). */
    private static final String MAGIC = "herald-bundles-1";
    private static final String SYSTEM_BUNDLE_LOCATION = "System Bundle";
    private static final String DEPLOY_SCHEME = "herald-deploy:";

    /** The node that wrote the list: process id, node id, role and when. */
    record Node(long pid, String id, String role, Instant at) {
    }

    /** One bundle: its framework id, symbolic name, version, state name and where it came from. */
    record Row(long id, String symbolicName, String version, String state, String from) {
    }

    record Listing(Node node, List<Row> rows) {
    }

    private final BundleContext context;
    private final Path file;
    private final Path home;
    private final Path installDir;
    private final String nodeId;
    private final String role;
    private final ExecutorService writer = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "herald-bundle-listing");
        thread.setDaemon(true);
        return thread;
    });
    private final AtomicBoolean pending = new AtomicBoolean();
    private final BundleListener listener = this::changed;
    private volatile boolean closed;

    BundleListing(BundleContext context, Layout layout, String nodeId, String role) {
        this.context = context;
        this.file = layout.dataDir().resolve(FILE);
        this.home = layout.home();
        this.installDir = layout.installDir();
        this.nodeId = nodeId;
        this.role = role;
    }

    /** Writes the list now and again after every bundle event, until {@link #close()}. */
    void start() {
        context.addBundleListener(listener);
        changed(null);
    }

    private void changed(BundleEvent event) {
        if (!closed && pending.compareAndSet(false, true)) {
            writer.execute(this::write);
        }
    }

    private void write() {
        // cleared before reading the state: an event from now on queues another write, which sees it
        pending.set(false);
        if (closed) {
            return;
        }
        try {
            Node node = new Node(ProcessHandle.current().pid(), nodeId, role, Instant.now());
            writeAtomically(file, new Listing(node, rows()));
        } catch (IllegalStateException stopping) {
            // the framework is stopping (its context is no longer valid); close() deletes the file
        } catch (IOException | RuntimeException e) {
            // the node keeps serving; `herald bundles` then shows the list before this change
            LoggerFactory.getLogger(BundleListing.class).warn("cannot write {}: {}", file, e.toString());
        }
    }

    private List<Row> rows() {
        List<Row> rows = new ArrayList<>();
        for (Bundle bundle : context.getBundles()) {
            rows.add(new Row(bundle.getBundleId(), String.valueOf(bundle.getSymbolicName()),
                    bundle.getVersion().toString(), state(bundle.getState()), from(bundle)));
        }
        return rows;
    }

    /** Stops listening, waits for a write under way, and deletes the file: a stopped node lists nothing. */
    @Override
    public void close() {
        closed = true;
        try {
            context.removeBundleListener(listener);
        } catch (IllegalStateException e) {
            // the framework already stopped
        }
        writer.shutdown();
        try {
            writer.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // the reader also checks that the writing process is alive
        }
    }

    static String state(int state) {
        return switch (state) {
            case Bundle.ACTIVE -> "ACTIVE";
            case Bundle.RESOLVED -> "RESOLVED";
            case Bundle.INSTALLED -> "INSTALLED";
            case Bundle.STARTING -> "STARTING";
            case Bundle.STOPPING -> "STOPPING";
            case Bundle.UNINSTALLED -> "UNINSTALLED";
            default -> String.valueOf(state);
        };
    }

    /**
     * The jar a bundle came from, relative to the home or the distribution where it lies there: {@code bundle/x.jar}
     * for a role bundle (installed by reference), {@code deploy/x.jar} for one of deploy/ (installed from a copy of
     * the file's bytes under {@code herald-deploy:<file>@<n>}), {@code lib/<framework jar>} for the system bundle.
     */
    private String from(Bundle bundle) {
        String location = bundle.getLocation();
        if (bundle.getBundleId() == 0 || SYSTEM_BUNDLE_LOCATION.equals(location)) {
            return frameworkJar();
        }
        if (location.startsWith(DEPLOY_SCHEME)) {
            String name = location.substring(DEPLOY_SCHEME.length());
            int generation = name.lastIndexOf('@');
            return "deploy/" + (generation > 0 ? name.substring(0, generation) : name);
        }
        String uri = location.startsWith("reference:") ? location.substring("reference:".length()) : location;
        try {
            return relative(Path.of(new URI(uri)));
        } catch (URISyntaxException | IllegalArgumentException e) {
            return location;
        }
    }

    private String frameworkJar() {
        CodeSource source = context.getBundle(0).getClass().getProtectionDomain().getCodeSource();
        try {
            return source == null ? "(class path)" : relative(Path.of(source.getLocation().toURI()));
        } catch (URISyntaxException | IllegalArgumentException e) {
            return String.valueOf(source.getLocation());
        }
    }

    private String relative(Path path) {
        Path normal = path.toAbsolutePath().normalize();
        for (Path base : List.of(home, installDir)) {
            if (normal.startsWith(base)) {
                return base.relativize(normal).toString();
            }
        }
        return normal.toString();
    }

    /** Tab-separated lines: a header naming the node, then one line per bundle (tabs in values become spaces). */
    static void writeAtomically(Path file, Listing listing) throws IOException {
        StringBuilder text = new StringBuilder();
        Node node = listing.node();
        line(text, MAGIC, Long.toString(node.pid()), node.id(), node.role(), node.at().toString());
        for (Row row : listing.rows()) {
            line(text, Long.toString(row.id()), row.symbolicName(), row.version(), row.state(), row.from());
        }
        Path temporary = file.resolveSibling("." + file.getFileName() + ".tmp");
        Files.writeString(temporary, text, StandardCharsets.UTF_8);
        try {
            Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static void line(StringBuilder text, String... fields) {
        for (int i = 0; i < fields.length; i++) {
            text.append(i == 0 ? "" : "\t").append(fields[i].replace('\t', ' ').replace('\n', ' '));
        }
        text.append('\n');
    }

    /**
     * @return the listing in {@code file}, or null when there is none or it is not one this launcher wrote
     */
    static Listing read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            return null;
        }
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        if (lines.isEmpty()) {
            return null;
        }
        String[] header = lines.get(0).split("\t", -1);
        if (header.length != 5 || !header[0].equals(MAGIC)) {
            return null;
        }
        Node node = new Node(Long.parseLong(header[1]), header[2], header[3], Instant.parse(header[4]));
        List<Row> rows = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] fields = line.split("\t", -1);
            if (fields.length == 5) {
                rows.add(new Row(Long.parseLong(fields[0]), fields[1], fields[2], fields[3], fields[4]));
            }
        }
        return new Listing(node, rows);
    }
}
