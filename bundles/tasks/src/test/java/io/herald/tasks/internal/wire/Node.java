package io.herald.tasks.internal.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs a script in the real Node.js ({@code /usr/bin/node} or {@code node} on the PATH), so that the wire tests compare
 * Herald's bytes with what JavaScript itself writes rather than with expectations typed by hand. Without Node.js the
 * tests fail, naming {@code .ci/run}, which installs it: a skipped comparison would let the bytes drift unnoticed.
 */
final class Node {

    private Node() {
    }

    /** Runs {@code script} with {@code stdin} as its input and the extra environment; returns its output lines. */
    static List<String> run(String script, String stdin, Map<String, String> environment) {
        ProcessBuilder builder = new ProcessBuilder(executable(), "-e", script);
        builder.environment().putAll(environment);
        builder.redirectError(ProcessBuilder.Redirect.PIPE);
        try {
            Process process = builder.start();
            CompletableFuture<byte[]> out = CompletableFuture.supplyAsync(() -> readAll(process, false));
            CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(() -> readAll(process, true));
            try (OutputStream in = process.getOutputStream()) {
                in.write(stdin.getBytes(StandardCharsets.UTF_8));
            }
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("node did not finish within 60 s");
            }
            String stderr = new String(err.join(), StandardCharsets.UTF_8);
            assertEquals(0, process.exitValue(), () -> "node failed: " + stderr);
            String stdout = new String(out.join(), StandardCharsets.UTF_8);
            // JSON.stringify escapes CR and LF, so a line is one value
            return stdout.lines().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    static List<String> run(String script, String stdin) {
        return run(script, stdin, Map.of());
    }

    private static byte[] readAll(Process process, boolean error) {
        try {
            return (error ? process.getErrorStream() : process.getInputStream()).readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String executable() {
        if (Files.isExecutable(Path.of("/usr/bin/node"))) {
            return "/usr/bin/node";
        }
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            Path candidate = Path.of(dir, "node");
            if (Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        throw new AssertionError("the wire tests compare Herald's JSON with Node.js's own, and node is neither"
                + " /usr/bin/node nor on the PATH (" + System.getenv("PATH") + "): .ci/run installs it (Debian/Ubuntu"
                + " package nodejs)");
    }
}
