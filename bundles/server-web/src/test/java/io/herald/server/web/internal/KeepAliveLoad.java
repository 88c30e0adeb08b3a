package io.herald.server.web.internal;

import java.io.IOException;
import java.net.ConnectException;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntSupplier;
import java.util.function.Predicate;

/**
 * A small load generator in the spirit of {@code wrk}: several client threads, each on its own keep-alive connection,
 * sending requests back to back. A thread opens a new connection only when the server said {@code Connection: close}
 * (or closed it), to the port the test names at that moment. It counts what a user would see:
 * <ul>
 * <li>answers, and answers that are not 200;</li>
 * <li>requests failed in flight: sent, but the connection ended before a whole response came back;</li>
 * <li>connections opened, and connection attempts refused (nothing listens on the port named: not a failed request).</li>
 * </ul>
 * Bounded in time and count: each thread stops by itself after two minutes or a million requests.
 */
final class KeepAliveLoad implements AutoCloseable {

    private static final long MAX_NANOS = TimeUnit.MINUTES.toNanos(2);
    private static final int MAX_REQUESTS_PER_CLIENT = 1_000_000;

    private final IntSupplier port;
    private final String path;
    private final List<Thread> clients = new ArrayList<>();
    private volatile boolean stopped;

    final AtomicLong answered = new AtomicLong();
    final AtomicLong failedInFlight = new AtomicLong();
    final AtomicLong connectionsOpened = new AtomicLong();
    final AtomicLong refusedConnects = new AtomicLong();
    /** Answers other than 200, and failures, as text for the assertion message (at most a few). */
    final Queue<String> problems = new ConcurrentLinkedQueue<>();
    private final Queue<KeepAliveClient.Reply> watched = new ConcurrentLinkedQueue<>();
    private volatile Predicate<KeepAliveClient.Reply> watch = reply -> false;
    private final AtomicLong non200 = new AtomicLong();

    /**
     * @param port the port to (re)connect to, read at each new connection
     * @param path the request sent, e.g. {@code /api/echo?message=load}
     */
    KeepAliveLoad(IntSupplier port, String path, int clientCount) {
        this.port = port;
        this.path = path;
        for (int i = 0; i < clientCount; i++) {
            Thread client = new Thread(this::run, "keep-alive-load-" + i);
            client.setDaemon(true);
            clients.add(client);
        }
    }

    KeepAliveLoad start() {
        clients.forEach(Thread::start);
        return this;
    }

    long non200() {
        return non200.get();
    }

    /** Answers seen from now on that match {@code condition} are counted by {@link #awaitWatched}. */
    void watch(Predicate<KeepAliveClient.Reply> condition) {
        watched.clear();
        watch = condition;
    }

    /** Waits until {@code count} watched answers have come (at most a minute); false if they did not. */
    boolean awaitWatched(int count) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
        while (watched.size() < count && System.nanoTime() < deadline && !allStopped()) {
            Thread.sleep(5);
        }
        return watched.size() >= count;
    }

    /** Waits until {@code more} answers have come beyond the count now (at most a minute); false if they did not. */
    boolean awaitMoreAnswers(long more) throws InterruptedException {
        long target = answered.get() + more;
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
        while (answered.get() < target && System.nanoTime() < deadline && !allStopped()) {
            Thread.sleep(5);
        }
        return answered.get() >= target;
    }

    private boolean allStopped() {
        return clients.stream().noneMatch(Thread::isAlive);
    }

    private void run() {
        long deadline = System.nanoTime() + MAX_NANOS;
        KeepAliveClient connection = null;
        try {
            for (int sent = 0; !stopped && sent < MAX_REQUESTS_PER_CLIENT && System.nanoTime() < deadline; sent++) {
                if (connection == null) {
                    connection = connect();
                    if (connection == null) {
                        continue;
                    }
                }
                KeepAliveClient.Reply reply;
                try {
                    reply = connection.get(path);
                } catch (IOException e) {
                    failedInFlight.incrementAndGet();
                    problem("failed in flight: " + e);
                    connection = closeQuietly(connection);
                    continue;
                }
                answered.incrementAndGet();
                if (reply.status() != 200) {
                    non200.incrementAndGet();
                    problem(reply.status() + " " + reply.body());
                }
                if (watch.test(reply)) {
                    watched.add(reply);
                }
                if (reply.closes()) {
                    connection = closeQuietly(connection);
                }
            }
        } finally {
            closeQuietly(connection);
        }
    }

    private KeepAliveClient connect() {
        try {
            KeepAliveClient connection = new KeepAliveClient(port.getAsInt());
            connectionsOpened.incrementAndGet();
            return connection;
        } catch (ConnectException refused) {
            refusedConnects.incrementAndGet();
        } catch (IOException e) {
            problem("cannot connect: " + e);
        }
        try {
            // Nothing listens there (yet): try again shortly, as a load balancer would.
            Thread.sleep(10);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stopped = true;
        }
        return null;
    }

    private void problem(String text) {
        if (problems.size() < 10) {
            problems.add(text);
        }
    }

    private static KeepAliveClient closeQuietly(KeepAliveClient connection) {
        if (connection != null) {
            try {
                connection.close();
            } catch (IOException ignored) {
                // closing a socket the test is done with
            }
        }
        return null;
    }

    /** Stops every client thread and waits for them. */
    @Override
    public void close() throws InterruptedException {
        stopped = true;
        for (Thread client : clients) {
            client.join(TimeUnit.MINUTES.toMillis(1));
        }
    }

    @Override
    public String toString() {
        return "answered " + answered + ", not 200 " + non200 + ", failed in flight " + failedInFlight + ", connections opened "
                + connectionsOpened + ", refused connects " + refusedConnects + ", problems " + problems;
    }
}
