package io.herald.itests;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * A load generator for end-to-end tests, as wrk would be: {@code clients} threads, each with its own HTTP/1.1 keep-alive
 * connection, GET one path in a loop until stopped. It counts responses by status, keeps the first unexpected ones (a
 * status outside {@code accepted}, or an error on a connection that was open), and counts refused connections apart: a
 * node that stopped listening refuses them, which is no failed request.
 */
final class Load implements AutoCloseable {

    private static final int KEPT = 20;
    /** Bounds each client, whatever happens to the rest of the test. */
    private static final Duration MAX = Duration.ofSeconds(120);

    private final Supplier<URI> target;
    private final Set<Integer> accepted;
    private final AtomicBoolean stopped = new AtomicBoolean();
    private final AtomicLong completed = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private final AtomicLong slowestNanos = new AtomicLong();
    private final Map<Integer, AtomicLong> byStatus = new ConcurrentHashMap<>();
    private final AtomicLong failureCount = new AtomicLong();
    private final List<String> failures = Collections.synchronizedList(new ArrayList<>());
    private final List<String> retryAfter = Collections.synchronizedList(new ArrayList<>());
    private final List<Thread> threads = new ArrayList<>();
    private final long deadline = System.nanoTime() + MAX.toNanos();

    private Load(Supplier<URI> target, int clients, Set<Integer> accepted) {
        this.target = target;
        this.accepted = accepted;
        for (int i = 0; i < clients; i++) {
            HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(2)).build();
            Thread thread = new Thread(() -> run(client), "load-client-" + i);
            threads.add(thread);
            thread.start();
        }
    }

    /** Starts {@code clients} clients on {@code target}; any status outside {@code accepted} is a failure. */
    static Load start(Supplier<URI> target, int clients, Set<Integer> accepted) {
        return new Load(target, clients, accepted);
    }

    private void run(HttpClient client) {
        while (!stopped.get() && System.nanoTime() < deadline) {
            long started = System.nanoTime();
            try {
                HttpResponse<String> response = client.send(HttpRequest.newBuilder(target.get())
                        .timeout(Duration.ofSeconds(30)).GET().build(), HttpResponse.BodyHandlers.ofString());
                slowestNanos.accumulateAndGet(System.nanoTime() - started, Math::max);
                completed.incrementAndGet();
                byStatus.computeIfAbsent(response.statusCode(), s -> new AtomicLong()).incrementAndGet();
                if (response.statusCode() == 503) {
                    retryAfter.add(response.headers().firstValue("Retry-After").orElse("(none)"));
                }
                if (!accepted.contains(response.statusCode())) {
                    fail(response.statusCode() + " " + response.body());
                }
            } catch (ConnectException notListening) {
                refused.incrementAndGet();
                pause();
            } catch (IOException e) {
                fail(e.toString());
                pause();
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void fail(String what) {
        failureCount.incrementAndGet();
        if (failures.size() < KEPT) {
            failures.add(what);
        }
    }

    private static void pause() {
        try {
            Thread.sleep(20);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Waits until {@code more} responses arrived after this call. */
    void awaitMore(long more, Duration timeout) throws InterruptedException {
        long target = completed.get() + more;
        long until = System.nanoTime() + timeout.toNanos();
        while (completed.get() < target) {
            if (System.nanoTime() > until) {
                throw new AssertionError("the load got " + (completed.get() - target + more) + " of " + more
                        + " responses in " + timeout + "; " + summary());
            }
            Thread.sleep(10);
        }
    }

    /** Waits until connections are refused: the node stopped listening. */
    void awaitRefused(Duration timeout) throws InterruptedException {
        long until = System.nanoTime() + timeout.toNanos();
        while (refused.get() == 0) {
            if (System.nanoTime() > until) {
                throw new AssertionError("connections were still accepted after " + timeout + "; " + summary());
            }
            Thread.sleep(10);
        }
    }

    long completed() {
        return completed.get();
    }

    /** Connection attempts refused: nothing listened on the port at that moment. */
    long refused() {
        return refused.get();
    }

    long failureCount() {
        return failureCount.get();
    }

    long count(int status) {
        AtomicLong count = byStatus.get(status);
        return count == null ? 0 : count.get();
    }

    /** The Retry-After header of every 503 seen. */
    List<String> retryAfterHeaders() {
        return List.copyOf(retryAfter);
    }

    String summary() {
        return completed.get() + " responses " + byStatus + ", " + refused.get() + " connections refused, "
                + failureCount.get() + " failures " + failures + ", slowest " + slowestNanos.get() / 1_000_000 + " ms";
    }

    void stop() throws InterruptedException {
        stopped.set(true);
        for (Thread thread : threads) {
            thread.join(35_000);
        }
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }
}
