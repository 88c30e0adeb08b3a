import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The load of bench/realtime.sh, with the JDK's own WebSocket client and plain sockets (single-file program, no
 * dependencies):
 *   ws-rtt  <ws-url> <connections> <seconds>      closed-loop echo actions over WebSocket: round trips/s, p50, p99
 *   tcp-rtt <host> <port> <connections> <seconds> the same over TCP lines
 *   ws-broadcast <ws-url> <connections> <room>    opens the connections, joins the room, says one message and times
 *                                                 its arrival at every member: p50, p99, max
 */
public class RealtimeLoad {

    static final String ECHO = "{\"event\":\"action\",\"params\":{\"action\":\"echo\",\"message\":\"hello\"},\"messageId\":%d}";

    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "ws-rtt" -> wsRoundTrips(URI.create(args[1]), Integer.parseInt(args[2]), Integer.parseInt(args[3]));
            case "tcp-rtt" -> tcpRoundTrips(args[1], Integer.parseInt(args[2]), Integer.parseInt(args[3]),
                    Integer.parseInt(args[4]));
            case "ws-broadcast" -> broadcast(URI.create(args[1]), Integer.parseInt(args[2]), args[3]);
            default -> throw new IllegalArgumentException("unknown mode " + args[0]);
        }
        System.exit(0);
    }

    /** Latencies in nanoseconds, kept in a fixed array per connection (no allocation per round trip). */
    static final class Latencies {
        private long[] values = new long[1 << 16];
        private int size;

        synchronized void add(long nanos) {
            if (size == values.length) {
                values = Arrays.copyOf(values, size * 2);
            }
            values[size++] = nanos;
        }

        synchronized long[] sorted() {
            long[] copy = Arrays.copyOf(values, size);
            Arrays.sort(copy);
            return copy;
        }
    }

    static String percentiles(long[] sorted) {
        if (sorted.length == 0) {
            return "no samples";
        }
        return String.format("p50 %.2f ms, p99 %.2f ms, max %.2f ms", sorted[sorted.length / 2] / 1e6,
                sorted[(int) Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.99) - 1)] / 1e6,
                sorted[sorted.length - 1] / 1e6);
    }

    static void wsRoundTrips(URI uri, int connections, int seconds) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        AtomicLong done = new AtomicLong();
        AtomicBoolean measuring = new AtomicBoolean();
        AtomicBoolean running = new AtomicBoolean(true);
        Latencies latencies = new Latencies();
        List<WebSocket> sockets = new ArrayList<>();
        for (int c = 0; c < connections; c++) {
            CompletableFuture<Void> welcomed = new CompletableFuture<>();
            WebSocket.Listener listener = new WebSocket.Listener() {
                private final StringBuilder text = new StringBuilder();
                private long sentAt;
                private int id;

                @Override
                public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
                    text.append(data);
                    if (last) {
                        String message = text.toString();
                        text.setLength(0);
                        if (!welcomed.isDone()) {
                            welcomed.complete(null);
                        } else if (message.contains("\"messageId\"")) {
                            if (measuring.get()) {
                                done.incrementAndGet();
                                latencies.add(System.nanoTime() - sentAt);
                            }
                        }
                        if (running.get()) {
                            sentAt = System.nanoTime();
                            socket.sendText(String.format(ECHO, ++id), true);
                        }
                    }
                    socket.request(1);
                    return null;
                }
            };
            sockets.add(http.newWebSocketBuilder().buildAsync(uri, listener).get(30, TimeUnit.SECONDS));
            welcomed.get(30, TimeUnit.SECONDS);
        }
        Thread.sleep(3000); // warm-up
        measuring.set(true);
        long start = System.nanoTime();
        Thread.sleep(seconds * 1000L);
        measuring.set(false);
        long elapsed = System.nanoTime() - start;
        running.set(false);
        System.out.printf("websocket round trips, %d connections: %.0f/s, %s%n", connections,
                done.get() * 1e9 / elapsed, percentiles(latencies.sorted()));
        sockets.forEach(s -> s.abort());
    }

    static void tcpRoundTrips(String host, int port, int connections, int seconds) throws Exception {
        AtomicLong done = new AtomicLong();
        AtomicBoolean measuring = new AtomicBoolean();
        AtomicBoolean running = new AtomicBoolean(true);
        Latencies latencies = new Latencies();
        List<Thread> threads = new ArrayList<>();
        CountDownLatch ready = new CountDownLatch(connections);
        for (int c = 0; c < connections; c++) {
            Thread thread = new Thread(() -> {
                try (Socket socket = new Socket(host, port)) {
                    socket.setTcpNoDelay(true);
                    BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
                    OutputStream out = socket.getOutputStream();
                    in.readLine(); // welcome
                    ready.countDown();
                    byte[] line = "{\"action\":\"echo\",\"params\":{\"message\":\"hello\"}}\n".getBytes(StandardCharsets.UTF_8);
                    while (running.get()) {
                        long sentAt = System.nanoTime();
                        out.write(line);
                        out.flush();
                        if (in.readLine() == null) {
                            return;
                        }
                        if (measuring.get()) {
                            done.incrementAndGet();
                            latencies.add(System.nanoTime() - sentAt);
                        }
                    }
                } catch (Exception e) {
                    if (running.get()) {
                        System.err.println("tcp client: " + e);
                    }
                }
            });
            thread.setDaemon(true);
            thread.start();
            threads.add(thread);
        }
        ready.await(60, TimeUnit.SECONDS);
        Thread.sleep(3000);
        measuring.set(true);
        long start = System.nanoTime();
        Thread.sleep(seconds * 1000L);
        measuring.set(false);
        long elapsed = System.nanoTime() - start;
        running.set(false);
        System.out.printf("tcp round trips, %d connections: %.0f/s, %s%n", connections, done.get() * 1e9 / elapsed,
                percentiles(latencies.sorted()));
    }

    static void broadcast(URI uri, int connections, String room) throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(30)).build();
        Latencies arrivals = new Latencies();
        AtomicLong sentAt = new AtomicLong();
        CountDownLatch joined = new CountDownLatch(connections);
        CountDownLatch heard = new CountDownLatch(connections);
        List<WebSocket> sockets = new ArrayList<>();
        long opening = System.nanoTime();
        for (int c = 0; c < connections; c++) {
            WebSocket.Listener listener = new WebSocket.Listener() {
                private final StringBuilder text = new StringBuilder();
                private boolean welcomed;

                @Override
                public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
                    text.append(data);
                    if (last) {
                        String message = text.toString();
                        text.setLength(0);
                        if (!welcomed) {
                            welcomed = true;
                            socket.sendText("{\"event\":\"roomAdd\",\"room\":\"" + room + "\",\"messageId\":1}", true);
                        } else if (message.contains("\"messageId\":1")) {
                            joined.countDown();
                        } else if (message.contains("\"context\":\"user\"")) {
                            arrivals.add(System.nanoTime() - sentAt.get());
                            heard.countDown();
                        }
                    }
                    socket.request(1);
                    return null;
                }
            };
            sockets.add(http.newWebSocketBuilder().buildAsync(uri, listener).get(60, TimeUnit.SECONDS));
        }
        if (!joined.await(300, TimeUnit.SECONDS)) {
            System.out.println("only " + (connections - joined.getCount()) + " of " + connections + " joined");
        }
        System.out.printf("opened and joined %d connections in %.1f s%n", connections, (System.nanoTime() - opening) / 1e9);
        System.out.println("READY");
        System.out.flush();
        Thread.sleep(Long.getLong("pause.ms", 0L));
        sentAt.set(System.nanoTime());
        sockets.get(0).sendText("{\"event\":\"say\",\"room\":\"" + room + "\",\"message\":\"broadcast\"}", true);
        if (!heard.await(60, TimeUnit.SECONDS)) {
            System.out.println("only " + (connections - heard.getCount()) + " of " + connections + " heard the message");
        }
        System.out.printf("broadcast to %d members: %s%n", connections, percentiles(arrivals.sorted()));
        sockets.forEach(s -> s.abort());
    }
}
