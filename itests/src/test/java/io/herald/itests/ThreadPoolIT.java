package io.herald.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

/**
 * Issue 15: the web server's platform threads shrink back once a burst of load is over. A node with a short
 * {@code threadIdleTimeout} serves a burst of concurrent keep-alive clients (their connections arriving at once grow
 * Jetty's pool, as a burst of wrk does), then, within that timeout once the clients have gone, has no more threads than
 * it had idle before. The count is the kernel's ({@code Threads:} of {@code /proc/<pid>/status}): every thread of the
 * JVM, not only Jetty's.
 *
 * <p>The node runs on the JDK that runs this test. On Java 17 the actions run on the pool's platform threads, and the
 * burst grows it by tens of threads. On Java 21+ they run on virtual threads and the connections stay on them between
 * requests, so a burst grows the platform pool little or not at all: there the test shows that the burst leaves no
 * thread behind.
 */
class ThreadPoolIT {

    private static final long IDLE_TIMEOUT_MILLIS = 2_000;
    private static final int CLIENTS = 48;

    @Test
    void a_nodes_thread_count_returns_to_its_idle_figure_within_the_idle_timeout_after_a_burst() throws Exception {
        Path home = HeraldProcess.newHome(HeraldProcess.EXAMPLE_JAR);
        Path web = home.resolve("config/io.herald.server.web.cfg");
        Files.writeString(web, Files.readString(web).replaceFirst("(?m)^threadIdleTimeout = .*$",
                "threadIdleTimeout = " + IDLE_TIMEOUT_MILLIS));
        try (HeraldProcess herald = HeraldProcess.startIn(home, Map.of("HERALD_TITLE", "threads", "HERALD_CDS", "false"))) {
            herald.awaitStarted(Duration.ofSeconds(60));
            assertEquals(200, herald.get("/api/echo?message=warm").statusCode(), herald.output());
            int idle = settledThreads(herald.pid());

            int peak;
            try (Load load = Load.start(() -> herald.uri("/api/echo?message=burst"), CLIENTS, Set.of(200))) {
                load.awaitMore(CLIENTS * 50L, Duration.ofSeconds(60));
                peak = threads(herald.pid());
                load.awaitMore(CLIENTS * 50L, Duration.ofSeconds(60));
                peak = Math.max(peak, threads(herald.pid()));
                load.stop();
                assertEquals(0, load.failureCount(), load.summary());
            }
            if (Runtime.version().feature() < 21) {
                // Requests run on the pool's platform threads: the burst must have grown it, or this test shows nothing.
                assertTrue(peak > idle, "the burst grew the node's threads (idle " + idle + ", during the burst " + peak + ")");
            }

            // The clients' connections close with their HttpClients; each thread above the minimum then leaves after
            // threadIdleTimeout of idleness. A second of slack for the last jobs of the burst and the count's sampling.
            long deadline = System.nanoTime() + Duration.ofMillis(IDLE_TIMEOUT_MILLIS + 1_000).toNanos();
            List<Integer> seen = new ArrayList<>();
            int now;
            do {
                Thread.sleep(100);
                now = threads(herald.pid());
                seen.add(now);
            } while (now > idle && System.nanoTime() < deadline);
            assertTrue(now <= idle, "threads after the burst, every 100 ms: " + seen + "; idle before it: " + idle
                    + ", peak " + peak + "; threadIdleTimeout " + IDLE_TIMEOUT_MILLIS + " ms");
        }
    }

    /** The thread count once it has not changed for two seconds (threads of the start-up finish meanwhile). */
    private static int settledThreads(long pid) throws IOException, InterruptedException {
        int last = threads(pid);
        long stableSince = System.nanoTime();
        long deadline = stableSince + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() - stableSince < Duration.ofSeconds(2).toNanos()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the thread count of an idle node never settled (last " + last + ")");
            }
            Thread.sleep(100);
            int now = threads(pid);
            if (now != last) {
                last = now;
                stableSince = System.nanoTime();
            }
        }
        return last;
    }

    /** {@code Threads:} of {@code /proc/<pid>/status}: every thread of the process, as the kernel counts them. */
    private static int threads(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("Threads:")) {
                return Integer.parseInt(line.substring("Threads:".length()).trim());
            }
        }
        throw new IllegalStateException("no Threads: line in /proc/" + pid + "/status");
    }
}
