package io.herald.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

/**
 * Hot replace never fails a request (README: "Replacing or removing it never fails a request in flight"): the built
 * distribution serves the example's {@code echo} to four clients in a loop while its jar in {@code deploy/} is replaced
 * twice by new builds. Every response must be 200: the new version is installed beside the old one and answers before
 * the old one leaves, and calls in flight on the old one finish first. The same bytes moved in again change nothing.
 */
class HotDeployIT {

    private static final String ECHO = "/api/echo?message=x";
    private static final int CLIENTS = 4;
    /** Bounds each client's loop, whatever happens to the rest of the test. */
    private static final int MAX_REQUESTS_PER_CLIENT = 50_000;
    private static final Duration MAX_LOAD = Duration.ofSeconds(90);
    /** deploy/ is polled every 50 ms; a replaced jar is live within a fraction of a second. */
    private static final Duration REPLACEMENT_TIMEOUT = Duration.ofSeconds(20);

    @Test
    void replacing_the_jar_twice_under_load_fails_no_request_and_deleting_it_removes_echo() throws Exception {
        try (HeraldProcess herald = HeraldProcess.start(Map.of("HERALD_TITLE", "hot-deploy"))) {
            herald.awaitStarted(Duration.ofSeconds(60));
            Path deployed = herald.deploy(HeraldProcess.EXAMPLE_JAR);
            herald.awaitStatus(ECHO, 200, Duration.ofSeconds(15));

            LogTail log = new LogTail(herald.log);
            EchoClients clients = new EchoClients(herald);
            try {
                clients.awaitMoreRequests(100);
                for (int replacement = 1; replacement <= 2; replacement++) {
                    long beforeMove = clients.completed();
                    log.skipToEnd();
                    replaceWithNewBuild(deployed, "0.9." + replacement);
                    // The new version answers first, then the old one goes, then the deploy is logged (DeployTransaction).
                    log.await("is live (replaced io.herald.example.hello", REPLACEMENT_TIMEOUT, herald);
                    assertTrue(clients.completed() > beforeMove, "the clients ran while replacement " + replacement + " happened");
                    clients.awaitMoreRequests(400);
                }
            } finally {
                clients.stop();
            }
            assertEquals(0, clients.failureCount(), () -> "responses that were not 200 (first ones):\n"
                    + String.join("\n", clients.failures()) + "\nprocess output without its status=200 lines:\n"
                    + withoutOkLines(herald.output()));
            System.out.printf("HotDeployIT: %d requests, all 200, slowest %d ms%n", clients.completed(),
                    clients.slowestMillis());

            Files.delete(deployed);
            HttpResponse<String> gone = herald.awaitStatus(ECHO, 404, Duration.ofSeconds(15));
            assertTrue(gone.body().contains("unknown action"), gone.body());
        }
    }

    /** A new build (another Bundle-Version), moved over the deployed jar in one step under a hidden name first. */
    private static void replaceWithNewBuild(Path deployed, String version) throws IOException {
        Path temp = deployed.resolveSibling("." + deployed.getFileName() + ".tmp");
        Jars.version(HeraldProcess.EXAMPLE_JAR, temp, version);
        Files.move(temp, deployed, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** The process output without the line the core logs for every successful call: the swaps and the failures. */
    private static String withoutOkLines(String output) {
        return tail(output.lines().filter(line -> !line.contains("status=200")).collect(Collectors.joining("\n")));
    }

    private static String tail(String output) {
        return output.length() <= 20_000 ? output : "...\n" + output.substring(output.length() - 20_000);
    }

    /** Clients that GET echo in a loop, each on its own thread, and count (and keep the first) responses not 200. */
    private static final class EchoClients {

        private final HeraldProcess herald;
        private final AtomicBoolean stopped = new AtomicBoolean();
        private final AtomicLong completed = new AtomicLong();
        private final AtomicLong slowest = new AtomicLong();
        private final AtomicLong failureCount = new AtomicLong();
        private final List<String> failures = Collections.synchronizedList(new ArrayList<>());
        private final List<Thread> threads = new ArrayList<>();
        private final long deadline = System.nanoTime() + MAX_LOAD.toNanos();

        EchoClients(HeraldProcess herald) {
            this.herald = herald;
            for (int i = 0; i < CLIENTS; i++) {
                Thread thread = new Thread(this::run, "echo-client-" + i);
                threads.add(thread);
                thread.start();
            }
        }

        private void run() {
            for (int i = 0; i < MAX_REQUESTS_PER_CLIENT && !stopped.get() && System.nanoTime() < deadline; i++) {
                long started = System.nanoTime();
                try {
                    HttpResponse<String> response = herald.get(ECHO);
                    slowest.accumulateAndGet(System.nanoTime() - started, Math::max);
                    if (response.statusCode() != 200 || !response.body().contains("\"message\":\"x\"")) {
                        fail(started, response.statusCode() + " " + response.body());
                    }
                } catch (IOException e) {
                    fail(started, e.toString());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                completed.incrementAndGet();
            }
        }

        private void fail(long started, String what) {
            failureCount.incrementAndGet();
            if (failures.size() < 20) {
                String shortened = what.length() > 300 ? what.substring(0, 300) + "..." : what;
                failures.add(LocalTime.now() + " " + Thread.currentThread().getName() + " after "
                        + (System.nanoTime() - started) / 1_000_000 + " ms: " + shortened);
            }
        }

        long completed() {
            return completed.get();
        }

        long slowestMillis() {
            return slowest.get() / 1_000_000;
        }

        /** Waits until the clients together have made {@code count} more requests (or they stopped). */
        void awaitMoreRequests(long count) throws InterruptedException {
            long target = completed.get() + count;
            while (completed.get() < target && threads.stream().anyMatch(Thread::isAlive)) {
                Thread.sleep(10);
            }
        }

        void stop() throws InterruptedException {
            stopped.set(true);
            for (Thread thread : threads) {
                thread.join(30_000);
            }
        }

        long failureCount() {
            return failureCount.get();
        }

        /** The first few failures, with the time and how long the request took. */
        List<String> failures() {
            synchronized (failures) {
                return List.copyOf(failures);
            }
        }
    }

    /**
     * Reads the process output from where it was when created, line by line, without reading the whole file again:
     * every request is logged, so the output grows by megabytes under load.
     */
    private static final class LogTail {

        private final Path file;
        private long position;
        private final StringBuilder partial = new StringBuilder();

        LogTail(Path file) {
            this.file = file;
        }

        /** From now on, only lines written after this call count. */
        void skipToEnd() throws IOException {
            position = Files.size(file);
            partial.setLength(0);
        }

        /** Waits for the next line containing {@code text}; later calls search after that line. */
        void await(String text, Duration timeout, HeraldProcess herald) throws IOException, InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (true) {
                String line;
                while ((line = nextLine()) != null) {
                    if (line.contains(text)) {
                        return;
                    }
                }
                if (System.nanoTime() > deadline || !herald.isAlive()) {
                    throw new AssertionError("no line with '" + text + "' within " + timeout + "; process output:\n"
                            + tail(herald.output()));
                }
                Thread.sleep(20);
            }
        }

        private String nextLine() throws IOException {
            int newline = partial.indexOf("\n");
            if (newline < 0) {
                readMore();
                newline = partial.indexOf("\n");
                if (newline < 0) {
                    return null;
                }
            }
            String line = partial.substring(0, newline);
            partial.delete(0, newline + 1);
            return line;
        }

        private void readMore() throws IOException {
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
                ByteBuffer buffer = ByteBuffer.allocate(1 << 20);
                int read = channel.read(buffer, position);
                if (read > 0) {
                    position += read;
                    // Log lines are ASCII apart from messages; a character split across reads only garbles that line.
                    partial.append(new String(buffer.array(), 0, read, StandardCharsets.UTF_8));
                }
            }
        }
    }
}
