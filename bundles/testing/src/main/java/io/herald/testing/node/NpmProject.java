package io.herald.testing.node;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A Node.js project a test runs (node-resque, a browser driver): copied from the module's sources into the build
 * directory and installed there with {@code npm ci}, pinned by its {@code package-lock.json}. The install runs once per
 * lock file (a stamp in {@code node_modules}), under a file lock, so test classes in JVMs of their own and concurrent
 * builds of one module do not install twice or over each other. A missing {@code npm} fails the test, naming
 * {@code .ci/run}, which installs it.
 *
 * @since 1.1
 */
public final class NpmProject {

    private static final Duration INSTALL_TIMEOUT = Duration.ofMinutes(5);
    private static final String STAMP = ".herald-install-stamp";

    private NpmProject() {
    }

    /**
     * @param source the project: a directory with {@code package.json} and {@code package-lock.json}
     * @param target where it is installed, in the build directory ({@link #buildDirectory})
     * @param purpose what needs it, for the failure message ("the node-resque interop tests")
     * @return {@code target}, installed
     */
    public static Path install(Path source, Path target, String purpose) {
        Path npm = executable("npm").orElseThrow(() -> new AssertionError(purpose + " need npm, and npm is not on the "
                + "PATH (" + System.getenv("PATH") + "): .ci/run installs it (Debian/Ubuntu packages nodejs and npm)"));
        if (!Files.isRegularFile(source.resolve("package-lock.json"))) {
            throw new IllegalStateException("no Node project with a package-lock.json at " + source);
        }
        String name = target.getFileName().toString();
        try {
            Files.createDirectories(target);
            try (FileChannel channel = FileChannel.open(target.resolveSibling(name + ".lock"), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE);
                 FileLock lock = channel.lock()) {
                copyProject(source, target);
                String stamp = stampOf(target);
                Path stampFile = target.resolve("node_modules").resolve(STAMP);
                if (!Files.isRegularFile(stampFile) || !Files.readString(stampFile).equals(stamp)) {
                    npmCi(npm, target, target.resolveSibling(name + "-npm.log"));
                    Files.writeString(stampFile, stamp);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot install the Node project " + source + " into " + target, e);
        }
        return target;
    }

    /**
     * The build directory of the module whose test class this is: the parent of the {@code test-classes} folder it was
     * loaded from ({@code ${project.build.directory}}, whatever it is called), else {@code target} under the module.
     */
    public static Path buildDirectory(Class<?> testClass) {
        try {
            Path classes = Path.of(testClass.getProtectionDomain().getCodeSource().getLocation().toURI());
            if (Files.isDirectory(classes) && classes.getParent() != null) {
                return classes.getParent();
            }
        } catch (URISyntaxException | SecurityException | NullPointerException e) {
            // fall through to the conventional place
        }
        return moduleDirectory().resolve("target");
    }

    /** The module directory: Surefire's {@code basedir} property, else the working directory tests start in. */
    public static Path moduleDirectory() {
        return Path.of(System.getProperty("basedir", System.getProperty("user.dir"))).toAbsolutePath();
    }

    /** An executable of this name on the {@code PATH}, or empty. */
    public static Optional<Path> executable(String name) {
        String path = Objects.requireNonNullElse(System.getenv("PATH"), "/usr/local/bin:/usr/bin:/bin");
        for (String entry : path.split(File.pathSeparator)) {
            if (!entry.isEmpty()) {
                Path candidate = Path.of(entry, name);
                if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                    return Optional.of(candidate);
                }
            }
        }
        return Optional.empty();
    }

    private static void npmCi(Path npm, Path target, Path log) throws IOException {
        Process process = new ProcessBuilder(npm.toString(), "ci", "--no-audit", "--no-fund", "--loglevel=error")
                .directory(target.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            if (!process.waitFor(INSTALL_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("npm ci did not finish within " + INSTALL_TIMEOUT + " in " + target + "\n"
                        + Files.readString(log));
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted during npm ci", e);
        }
        if (process.exitValue() != 0) {
            throw new AssertionError("npm ci failed (exit " + process.exitValue() + ") in " + target + "\n"
                    + Files.readString(log));
        }
    }

    /** Copies the project's files (not a node_modules of a developer's own npm run), replacing older copies. */
    private static void copyProject(Path source, Path target) throws IOException {
        try (Stream<Path> files = Files.walk(source)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                Path relative = source.relativize(file);
                if (relative.toString().startsWith("node_modules")) {
                    continue;
                }
                Path destination = target.resolve(relative.toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(destination);
                } else {
                    Files.copy(file, destination, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    private static String stampOf(Path target) throws IOException {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            for (String file : List.of("package.json", "package-lock.json")) {
                digest.update(Files.readAllBytes(target.resolve(file)));
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
