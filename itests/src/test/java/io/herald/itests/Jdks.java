package io.herald.itests;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * The JDKs a distribution test runs nodes on: Herald supports Java 17 and recommends 25, and every machine here has both
 * (Debian's 17, Temurin's 25, in {@value #SYSTEM_JVMS}). A JDK is found by the {@code release} file of its home:
 * {@code HERALD_TEST_JDK_<major>} (a JDK home) first, then the JVM running the tests, then {@value #SYSTEM_JVMS}. A
 * missing one fails the test naming what to install, never skips it.
 */
final class Jdks {

    static final String SYSTEM_JVMS = "/usr/lib/jvm";

    private Jdks() {
    }

    /** The home of a JDK of this feature release ({@code 17}, {@code 25}), or an {@link AssertionError} saying why not. */
    static Path home(int major) {
        return find(major).orElseThrow(() -> new AssertionError("no JDK " + major + " found (looked at HERALD_TEST_JDK_"
                + major + ", the JVM running the tests and " + SYSTEM_JVMS + "/*): install one (.ci/run names the"
                + " packages; Temurin's JDK 25 from adoptium.net) or set HERALD_TEST_JDK_" + major + " to its home"));
    }

    static Optional<Path> find(int major) {
        List<Path> candidates = new ArrayList<>();
        String given = System.getenv("HERALD_TEST_JDK_" + major);
        if (given != null && !given.isBlank()) {
            candidates.add(Path.of(given));
        }
        Path running = Path.of(System.getProperty("java.home"));
        candidates.add(running);
        candidates.add(running.getParent()); // a JDK 8 layout's jre/ (not expected, harmless)
        Path system = Path.of(SYSTEM_JVMS);
        if (Files.isDirectory(system)) {
            try (Stream<Path> homes = Files.list(system)) {
                // Real directories first, sorted, so a symbolic link's alias does not win over its target by name.
                homes.filter(Files::isDirectory).sorted(Comparator.comparing(Files::isSymbolicLink)
                        .thenComparing(Comparator.naturalOrder())).forEach(candidates::add);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return candidates.stream().filter(home -> home != null && major(home) == major
                && Files.isExecutable(home.resolve("bin/java"))).findFirst();
    }

    /** The feature release a JDK home's {@code release} file names ({@code JAVA_VERSION="25.0.1"}), or 0. */
    static int major(Path home) {
        Path release = home.resolve("release");
        if (!Files.isRegularFile(release)) {
            return 0;
        }
        Properties properties = new Properties();
        try (var in = Files.newBufferedReader(release)) {
            properties.load(in);
        } catch (IOException e) {
            return 0;
        }
        String version = properties.getProperty("JAVA_VERSION", "").replace("\"", "");
        String feature = version.startsWith("1.") ? version.substring(2) : version;
        int end = 0;
        while (end < feature.length() && Character.isDigit(feature.charAt(end))) {
            end++;
        }
        return end == 0 ? 0 : Integer.parseInt(feature.substring(0, end));
    }
}
