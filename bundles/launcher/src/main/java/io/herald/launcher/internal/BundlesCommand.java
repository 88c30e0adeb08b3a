package io.herald.launcher.internal;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * {@code herald bundles}: what runs on the nodes of this home (Karaf's {@code bundle:list}, from outside the process):
 * each running node's bundles, with symbolic name, version, state and the jar they came from, as the node itself
 * last wrote them ({@link BundleListing}). A node is found by its data directory: the one {@code HERALD_TITLE} or
 * {@code HERALD_DATA} names, or, when neither is given, {@code data/} and every {@code data/nodes/<title>/} of the
 * home, so the nodes of a host sharing one home are all listed.
 *
 * <p>Without a running node it says so (exit 1) and lists what the role would install, from
 * {@code features/herald-features.xml} and {@code deploy/}, with no state: nothing was started to find out.
 */
final class BundlesCommand {

    private BundlesCommand() {
    }

    static int run(LaunchOptions options, Path installDir, PrintStream out, PrintStream err) {
        List<Path> dataDirs = dataDirs(options);
        List<BundleListing.Listing> running = new ArrayList<>();
        List<String> starting = new ArrayList<>();
        for (Path dataDir : dataDirs) {
            BundleListing.Listing listing = readQuietly(dataDir.resolve(BundleListing.FILE));
            if (listing != null && alive(listing.node().pid())) {
                running.add(listing);
                continue;
            }
            String holder = DataDirLock.holder(dataDir.resolve(DataDirLock.LOCK_FILE));
            if (holder != null && alive(Long.parseLong(holder))) {
                starting.add("herald: the node of " + dataDir + " (pid " + holder
                        + ") is starting or stopping: it lists its bundles once it has started");
            }
        }
        for (int i = 0; i < running.size(); i++) {
            BundleListing.Listing listing = running.get(i);
            BundleListing.Node node = listing.node();
            if (i > 0) {
                out.println();
            }
            out.println("node " + node.id() + " (pid " + node.pid() + ", role " + node.role() + ", listed at "
                    + node.at() + ")");
            print(out, listing.rows());
        }
        starting.forEach(err::println);
        if (!running.isEmpty()) {
            return Launcher.EXIT_OK;
        }
        err.println("herald: no node is running with the data directory " + String.join(" or ", dataDirs.stream()
                .map(Path::toString).toList()) + " (HERALD_TITLE or --title names a node's; HERALD_DATA a directory)");
        return wouldRun(options, installDir, out, err);
    }

    /** The node's data directory; without a title or HERALD_DATA, also every titled node's of the home. */
    private static List<Path> dataDirs(LaunchOptions options) {
        List<Path> dirs = new ArrayList<>(List.of(options.dataDir()));
        Path nodes = options.home().resolve("data").resolve("nodes");
        if (options.title() == null && options.dataDir().equals(LaunchOptions.defaultDataDir(options.home(), null))
                && Files.isDirectory(nodes)) {
            try (Stream<Path> titled = Files.list(nodes)) {
                titled.filter(Files::isDirectory).sorted().forEach(dirs::add);
            } catch (IOException e) {
                // the untitled node's directory is still looked at
            }
        }
        return dirs;
    }

    private static BundleListing.Listing readQuietly(Path file) {
        try {
            return BundleListing.read(file);
        } catch (IOException | RuntimeException e) {
            return null; // being replaced, or left by another version: treated as no listing
        }
    }

    /** A listing whose writer is gone (killed: it could not delete it) describes nothing that runs. */
    private static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    /** Lists the role's bundles and deploy/'s jars without starting anything; exit 1 (no node runs). */
    private static int wouldRun(LaunchOptions options, Path installDir, PrintStream out, PrintStream err) {
        Layout layout = new Layout(options.home(), installDir, options.dataDir());
        List<BundleListing.Row> rows = new ArrayList<>();
        try {
            FeaturesFile features = FeaturesFile.read(layout.featuresFile());
            if (!features.names().contains(options.role())) {
                err.println("herald: unknown role '" + options.role() + "': " + layout.featuresFile() + " defines "
                        + String.join(", ", features.names()));
                return Launcher.EXIT_CONFIG;
            }
            FeaturesFile.Resolution resolution = features.resolve(options.role());
            Set<Feature.BundleSpec> deferred = new HashSet<>(DeferredFeatures.bundlesOf(
                    DeferredFeatures.of(features, resolution, layout.bundleDir())));
            for (Feature.BundleSpec spec : resolution.bundles()) {
                Path jar = layout.bundleDir().resolve(MavenUrl.parse(spec.location()).fileName());
                // a deferred feature's bundles run only while its install rule matches the configuration
                rows.add(row(jar, deferred.contains(spec) ? "IF-CONFIGURED" : "-", layout));
            }
        } catch (ConfigException | IllegalArgumentException e) {
            err.println("herald: config error: " + e.getMessage());
            return Launcher.EXIT_CONFIG;
        }
        if (Files.isDirectory(layout.deployDir())) {
            try (DirectoryStream<Path> jars = Files.newDirectoryStream(layout.deployDir(), "[!.]*.jar")) {
                List<Path> sorted = new ArrayList<>();
                jars.forEach(sorted::add);
                sorted.stream().sorted().forEach(jar -> rows.add(row(jar, "-", layout)));
            } catch (IOException e) {
                err.println("herald: cannot list " + layout.deployDir() + ": " + e.getMessage());
            }
        }
        out.println("not running: role " + options.role() + " would install (state unknown until a node starts)");
        print(out, rows);
        return Launcher.EXIT_CONFIG;
    }

    private static BundleListing.Row row(Path jar, String state, Layout layout) {
        String name = "?";
        String version = "?";
        try (JarFile file = new JarFile(jar.toFile())) {
            Attributes main = file.getManifest() == null ? null : file.getManifest().getMainAttributes();
            if (main != null && main.getValue("Bundle-SymbolicName") != null) {
                name = main.getValue("Bundle-SymbolicName").split(";")[0].strip();
                version = main.getValue("Bundle-Version") == null ? "0.0.0" : main.getValue("Bundle-Version").strip();
            }
        } catch (IOException e) {
            state = Files.exists(jar) ? "NOT-A-JAR" : "MISSING";
        }
        Path base = jar.startsWith(layout.home()) ? layout.home() : layout.installDir();
        String from = jar.startsWith(base) ? base.relativize(jar).toString() : jar.toString();
        return new BundleListing.Row(-1, name, version, state, from);
    }

    /** A table: id, symbolic name, version, state, the jar; columns as wide as their widest value. */
    private static void print(PrintStream out, List<BundleListing.Row> rows) {
        List<String[]> lines = new ArrayList<>();
        lines.add(new String[] {"ID", "BUNDLE", "VERSION", "STATE", "FROM"});
        for (BundleListing.Row row : rows) {
            lines.add(new String[] {row.id() < 0 ? "-" : Long.toString(row.id()), row.symbolicName(), row.version(),
                row.state(), row.from()});
        }
        int[] widths = new int[5];
        for (String[] line : lines) {
            for (int i = 0; i < widths.length; i++) {
                widths[i] = Math.max(widths[i], line[i].length());
            }
        }
        for (String[] line : lines) {
            StringBuilder text = new StringBuilder();
            for (int i = 0; i < line.length; i++) {
                text.append(i == line.length - 1 ? line[i] : String.format("%-" + widths[i] + "s  ", line[i]));
            }
            out.println(text.toString().stripTrailing());
        }
    }
}
