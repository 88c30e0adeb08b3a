package io.herald.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

/**
 * Issue 13: 300 clients sending a body a byte at a time and 300 sending their headers a byte at a time, all at once,
 * against the built distribution. The echo action keeps answering (its p99 is printed; the bound asserted is loose, this
 * machine is shared), the node's thread count stays bounded (not one thread per slow client: the node's JVM is the
 * build's, Java 17, so platform threads), and every slow client is cut off within the configured limits: the body
 * clients answered 408 by minRequestDataRate, the header clients closed by requestHeaderTimeout.
 */
class SlowClientsIT {

    private static final int CLIENTS = 300;
    private static final long HEADER_TIMEOUT = 2000;
    private static final long MIN_RATE = 100;

    /** One slow client: its channel, what it sends a byte of at a time, and what became of it. */
    private static final class Slow {

        final SocketChannel channel;
        final boolean body;
        final StringBuilder received = new StringBuilder();
        long endedMillis = -1;

        Slow(SocketChannel channel, boolean body) {
            this.channel = channel;
            this.body = body;
        }
    }

    @Test
    void slow_bodies_and_slow_headers_do_not_stop_the_echo_action_and_are_cut_off() throws Exception {
        Path home = HeraldProcess.newHome(HeraldProcess.EXAMPLE_JAR);
        Path web = home.resolve("config/io.herald.server.web.cfg");
        Files.writeString(web, Files.readString(web) + "\nrequestHeaderTimeout = " + HEADER_TIMEOUT
                + "\nrequestBodyTimeout = 10000\nminRequestDataRate = " + MIN_RATE + "\n");
        try (HeraldProcess herald = HeraldProcess.startIn(home, Map.of("HERALD_TITLE", "slow-clients"));
                Selector selector = Selector.open()) {
            herald.awaitStarted(Duration.ofSeconds(60));
            int threadsBefore = threads(herald.pid());

            // The probe's HTTP client is warmed first: its first requests (class loading, the JIT, a new connection) take
            // a few hundred milliseconds in this test's own JVM and would be counted as the node's latency.
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            HttpRequest ping = HttpRequest.newBuilder(herald.uri("/api/echo?message=ping")).timeout(Duration.ofSeconds(10)).build();
            for (int i = 0; i < 50; i++) {
                assertEquals(200, http.send(ping, HttpResponse.BodyHandlers.ofString()).statusCode());
            }

            List<Slow> clients = new ArrayList<>();
            for (int i = 0; i < CLIENTS; i++) {
                clients.add(open(herald.port, selector, true, "POST /api/echo HTTP/1.1\r\nHost: x\r\nContent-Type: "
                        + "application/json\r\nContent-Length: 100000\r\n\r\n{"));
                clients.add(open(herald.port, selector, false, "GET /api/echo?message=slow HTTP/1.1\r\n"));
            }
            long start = System.nanoTime();

            List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
            AtomicInteger notOk = new AtomicInteger();
            AtomicBoolean done = new AtomicBoolean();
            Thread echo = new Thread(() -> measure(http, ping, latencies, notOk, done), "echo-probe");
            echo.start();

            int maxThreads = threadsBefore;
            long nextByte = 0;
            int open = clients.size();
            while (open > 0 && millisSince(start) < 20_000) {
                if (millisSince(start) >= nextByte) {
                    nextByte += 200;
                    for (Slow client : clients) {
                        if (client.endedMillis < 0) {
                            write(client, client.body ? " " : "X");
                        }
                    }
                    maxThreads = Math.max(maxThreads, threads(herald.pid()));
                }
                selector.select(20);
                for (SelectionKey key : selector.selectedKeys()) {
                    Slow client = (Slow) key.attachment();
                    if (read(client)) {
                        client.endedMillis = millisSince(start);
                        key.cancel();
                        open--;
                    }
                }
                selector.selectedKeys().clear();
                for (Slow client : clients) {
                    if (client.endedMillis < 0 && !client.channel.isOpen()) {
                        client.endedMillis = millisSince(start);
                        open--;
                    }
                }
            }
            // A little more echo traffic once the slow clients are gone, then the figures.
            Thread.sleep(500);
            done.set(true);
            echo.join();

            List<Long> sorted = new ArrayList<>(latencies);
            Collections.sort(sorted);
            long p99 = sorted.get(Math.max(0, (int) Math.ceil(sorted.size() * 0.99) - 1));
            long bodyCut = clients.stream().filter(c -> c.body).mapToLong(c -> c.endedMillis).max().orElse(-1);
            long headerCut = clients.stream().filter(c -> !c.body).mapToLong(c -> c.endedMillis).max().orElse(-1);
            System.out.printf("SlowClientsIT: %d echo requests during the attack, p50 %d ms, p99 %d ms, max %d ms; threads %d "
                    + "before, at most %d during; last body client cut off after %d ms, last header client after %d ms%n",
                    sorted.size(), sorted.get(sorted.size() / 2), p99, sorted.get(sorted.size() - 1), threadsBefore, maxThreads,
                    bodyCut, headerCut);

            assertEquals(0, open, "slow clients still connected after 20 s");
            assertEquals(0, notOk.get(), "echo requests that did not answer 200 during the attack");
            assertTrue(sorted.size() >= 20, "the echo action answered only " + sorted.size() + " times");
            // Loose: the target is 100 ms, but this machine's two cores are shared with other builds.
            assertTrue(p99 < 2000, "echo p99 " + p99 + " ms");
            // Not one thread per slow client: 600 of them would take the count far above this.
            assertTrue(maxThreads < threadsBefore + 250, "threads grew from " + threadsBefore + " to " + maxThreads);
            for (Slow client : clients) {
                if (client.body) {
                    assertTrue(client.received.toString().startsWith("HTTP/1.1 408 "), client.received.toString());
                    assertTrue(client.received.toString().contains("the body arrived slower than " + MIN_RATE
                            + " bytes per second (minRequestDataRate)"), client.received.toString());
                } else {
                    assertEquals("", client.received.toString(), "a slowloris client is closed without an answer");
                }
            }
            // The rate is checked from the first second on, every 250 ms; headers every quarter of their timeout.
            assertTrue(bodyCut < 1000 + 250 + 3000, "the last slow body was cut off after " + bodyCut + " ms");
            assertTrue(headerCut < HEADER_TIMEOUT * 3 / 2 + 3000, "the last slow header was cut off after " + headerCut + " ms");
            assertEquals(200, herald.get("/api/echo?message=after").statusCode());
        }
    }

    private static Slow open(int port, Selector selector, boolean body, String start) throws IOException {
        SocketChannel channel = SocketChannel.open(new InetSocketAddress("127.0.0.1", port));
        channel.configureBlocking(false);
        Slow client = new Slow(channel, body);
        channel.register(selector, SelectionKey.OP_READ, client);
        write(client, start);
        return client;
    }

    private static void write(Slow client, String text) {
        try {
            client.channel.write(ByteBuffer.wrap(text.getBytes(StandardCharsets.US_ASCII)));
        } catch (IOException closed) {
            // the server cut it off; the read side records when
        }
    }

    /** Reads what arrived; true once the server closed the connection. */
    private static boolean read(Slow client) {
        ByteBuffer buffer = ByteBuffer.allocate(4096);
        try {
            int n = client.channel.read(buffer);
            if (n < 0) {
                client.channel.close();
                return true;
            }
            client.received.append(new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8));
            return false;
        } catch (IOException reset) {
            try {
                client.channel.close();
            } catch (IOException ignored) {
                // closed already
            }
            return true;
        }
    }

    private static void measure(HttpClient http, HttpRequest ping, List<Long> latencies, AtomicInteger notOk,
            AtomicBoolean done) {
        while (!done.get()) {
            long begin = System.nanoTime();
            try {
                HttpResponse<String> response = http.send(ping, HttpResponse.BodyHandlers.ofString());
                latencies.add((System.nanoTime() - begin) / 1_000_000);
                if (response.statusCode() != 200) {
                    notOk.incrementAndGet();
                }
                Thread.sleep(5);
            } catch (IOException e) {
                notOk.incrementAndGet();
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private static int threads(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("Threads:")) {
                return Integer.parseInt(line.substring(8).trim());
            }
        }
        throw new IllegalStateException("no thread count for " + pid);
    }

    private static long millisSince(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }
}
