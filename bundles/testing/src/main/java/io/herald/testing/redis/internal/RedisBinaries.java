package io.herald.testing.redis.internal;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds {@code redis-server} and {@code redis-cli} and the server's version. A missing binary is a clear failure,
 * never a skipped test: tests run their real dependencies (README, Development).
 */
public final class RedisBinaries {

    static final String SERVER_MISSING = "redis-server is not installed: .ci/run installs it (Debian/Ubuntu package"
            + " redis-server; sentinels run as redis-server --sentinel)";
    static final String CLI_MISSING = "redis-cli is not installed: .ci/run installs it (Debian/Ubuntu package"
            + " redis-server, which brings redis-tools)";

    /** Where packages put the binaries when a test runner's PATH is minimal. */
    private static final List<Path> USUAL_DIRS = List.of(Path.of("/usr/bin"), Path.of("/usr/local/bin"),
            Path.of("/usr/sbin"), Path.of("/opt/homebrew/bin"));

    private static final Pattern VERSION = Pattern.compile("v=(\\d+)\\.(\\d+)");

    private static volatile Path server;
    private static volatile Path cli;
    private static volatile int major = -1;

    private RedisBinaries() {
    }

    /** The {@code redis-server} executable; throws with the install hint when there is none. */
    public static Path server() {
        Path found = server;
        if (found == null) {
            found = require("redis-server", System.getenv("PATH"), USUAL_DIRS, SERVER_MISSING);
            server = found;
        }
        return found;
    }

    /** The {@code redis-cli} executable ({@code --cluster create}); throws with the install hint when there is none. */
    public static Path cli() {
        Path found = cli;
        if (found == null) {
            found = require("redis-cli", System.getenv("PATH"), USUAL_DIRS, CLI_MISSING);
            cli = found;
        }
        return found;
    }

    /** The server's major version (7 for 7.0.15), read once from {@code redis-server --version}. */
    public static int majorVersion() {
        int known = major;
        if (known < 0) {
            known = parseMajor(run(server().toString(), "--version"));
            major = known;
        }
        return known;
    }

    /** {@link #locate}, or a failure with {@code missingMessage}. */
    static Path require(String name, String path, List<Path> fallbackDirs, String missingMessage) {
        return locate(name, path, fallbackDirs).orElseThrow(() -> new IllegalStateException(missingMessage));
    }

    /** The first executable {@code name} on {@code path}, then in {@code fallbackDirs}. */
    static Optional<Path> locate(String name, String path, List<Path> fallbackDirs) {
        List<Path> dirs = new ArrayList<>();
        if (path != null) {
            for (String dir : path.split(File.pathSeparator)) {
                if (!dir.isEmpty()) {
                    dirs.add(Path.of(dir));
                }
            }
        }
        dirs.addAll(fallbackDirs);
        for (Path dir : dirs) {
            Path candidate = dir.resolve(name);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    static int parseMajor(String versionOutput) {
        Matcher matcher = VERSION.matcher(versionOutput);
        if (!matcher.find()) {
            throw new IllegalStateException("cannot read the version of redis-server from: " + versionOutput);
        }
        return Integer.parseInt(matcher.group(1));
    }

    private static String run(String... command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            byte[] output = process.getInputStream().readAllBytes();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " did not finish in 10 s");
            }
            return new String(output, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + String.join(" ", command), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + String.join(" ", command), e);
        }
    }
}
