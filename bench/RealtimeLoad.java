import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The load of bench/realtime.sh (single-file program, no dependencies): round trips with a lean selector-driven
 * WebSocket client, the broadcast with the JDK's own WebSocket client, TCP with plain sockets:
 *   ws-rtt  <ws-url> <connections> <seconds>      closed-loop echo actions over WebSocket: round trips/s, p50, p99
 *   tcp-rtt <host> <port> <connections> <seconds> the same over TCP lines
 *   ws-broadcast <ws-url> <connections> <room>    opens the connections, joins the room, says one message and times
 *                                                 its arrival at every member: p50, p99, max
 */
public class RealtimeLoad {

    static final String ECHO = "{\"event\":\"action\",\"params\":{\"action\":\"echo\",\"message\":\"hello\"},\"messageId\":%d}";

    static final long WARM_UP_MILLIS = Long.getLong("warmup.ms", 3000L);

    /**
     * The server's CPU time (user + system) per measured round trip, when {@code -Dserver.pid} names its process: it
     * tells the servers' costs apart even when the load client and other processes share the cores.
     */
    static String cpuPerRoundTrip(long cpuNanos, long roundTrips) {
        return cpuNanos < 0 || roundTrips == 0 ? "" : String.format(", server CPU %.1f us per round trip", cpuNanos / 1e3 / roundTrips);
    }

    /** The CPU time of the process {@code -Dserver.pid} (from /proc, in clock ticks of 10 ms), or -1 without it. */
    static long serverCpuNanos() throws Exception {
        String pid = System.getProperty("server.pid");
        if (pid == null) {
            return -1;
        }
        String stat = java.nio.file.Files.readString(java.nio.file.Path.of("/proc", pid, "stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * 10_000_000L;
    }

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

    /**
     * Closed-loop round trips over WebSocket from one thread with a selector and hand-made frames (RFC 6455), so that
     * the load costs the 2 shared cores as little as possible: the JDK's WebSocket client spent more CPU than a bare
     * Jetty WebSocket server, capping both at about 43,000/s here.
     */
    static void wsRoundTrips(URI uri, int connections, int seconds) throws Exception {
        Selector selector = Selector.open();
        List<FramedConnection> open = new ArrayList<>();
        for (int c = 0; c < connections; c++) {
            FramedConnection connection = FramedConnection.upgrade(uri);
            connection.channel.register(selector, SelectionKey.OP_READ, connection);
            open.add(connection);
        }
        AtomicBoolean measuring = new AtomicBoolean();
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicLong done = new AtomicLong();
        Latencies latencies = new Latencies();
        Thread loop = new Thread(() -> {
            try {
                // Every connection already holds or awaits its welcome; each answer sends the next call.
                for (FramedConnection connection : open) {
                    connection.drainFrames(null, null, null, running);
                }
                while (running.get()) {
                    selector.select(100);
                    for (SelectionKey key : selector.selectedKeys()) {
                        FramedConnection connection = (FramedConnection) key.attachment();
                        if (!connection.read()) {
                            throw new IllegalStateException("the server closed a connection");
                        }
                        connection.drainFrames(measuring, done, latencies, running);
                    }
                    selector.selectedKeys().clear();
                }
            } catch (Exception e) {
                if (running.get()) {
                    System.err.println("websocket client: " + e);
                    running.set(false);
                }
            }
        }, "ws-load");
        loop.start();
        Thread.sleep(WARM_UP_MILLIS);
        long cpuBefore = serverCpuNanos();
        measuring.set(true);
        long start = System.nanoTime();
        Thread.sleep(seconds * 1000L);
        measuring.set(false);
        long elapsed = System.nanoTime() - start;
        long cpu = serverCpuNanos() - cpuBefore;
        running.set(false);
        loop.join();
        System.out.printf("websocket round trips, %d connections: %.0f/s, %s%s%n", connections,
                done.get() * 1e9 / elapsed, percentiles(latencies.sorted()), cpuPerRoundTrip(cpu, done.get()));
        for (FramedConnection connection : open) {
            connection.channel.close();
        }
    }

    /** One client connection speaking WebSocket frames itself: masked text frames out, unmasked frames in. */
    static final class FramedConnection {
        final SocketChannel channel;
        private final ByteBuffer in = ByteBuffer.allocate(1 << 16);
        private final ByteBuffer out = ByteBuffer.allocate(512);
        private final byte[] mask = new byte[4];
        private boolean welcomed;
        private long sentAt;
        private int id;

        private FramedConnection(SocketChannel channel) {
            this.channel = channel;
            java.util.concurrent.ThreadLocalRandom.current().nextBytes(mask);
        }

        /** Connects, upgrades (blocking), and keeps whatever followed the 101 response in the input buffer. */
        static FramedConnection upgrade(URI uri) throws Exception {
            SocketChannel channel = SocketChannel.open(new InetSocketAddress(uri.getHost(), uri.getPort()));
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            FramedConnection connection = new FramedConnection(channel);
            byte[] key = new byte[16];
            java.util.concurrent.ThreadLocalRandom.current().nextBytes(key);
            String request = "GET " + uri.getRawPath() + " HTTP/1.1\r\nHost: " + uri.getHost() + ":" + uri.getPort()
                    + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: "
                    + Base64.getEncoder().encodeToString(key) + "\r\n\r\n";
            ByteBuffer written = ByteBuffer.wrap(request.getBytes(StandardCharsets.US_ASCII));
            while (written.hasRemaining()) {
                channel.write(written);
            }
            ByteBuffer in = connection.in;
            int headerEnd;
            while ((headerEnd = headerEnd(in)) < 0) {
                if (channel.read(in) < 0) {
                    throw new IllegalStateException("closed during the upgrade");
                }
            }
            String head = new String(in.array(), 0, headerEnd, StandardCharsets.US_ASCII);
            if (!head.startsWith("HTTP/1.1 101")) {
                throw new IllegalStateException("upgrade refused: " + head.lines().findFirst().orElse(""));
            }
            in.flip();
            in.position(headerEnd);
            in.compact();
            channel.configureBlocking(false);
            return connection;
        }

        private static int headerEnd(ByteBuffer buffer) {
            byte[] bytes = buffer.array();
            for (int i = 3; i < buffer.position(); i++) {
                if (bytes[i - 3] == '\r' && bytes[i - 2] == '\n' && bytes[i - 1] == '\r' && bytes[i] == '\n') {
                    return i + 1;
                }
            }
            return -1;
        }

        /** @return false at the end of the stream */
        boolean read() throws Exception {
            return channel.read(in) >= 0;
        }

        /** Consumes every whole frame read so far: the welcome, then one answer per call, each answered by the next call. */
        void drainFrames(AtomicBoolean measuring, AtomicLong done, Latencies latencies, AtomicBoolean running)
                throws Exception {
            in.flip();
            while (in.remaining() >= 2) {
                int start = in.position();
                int opcode = in.get(start) & 0x0F;
                int length = in.get(start + 1) & 0x7F;
                int header = 2;
                if (length == 126) {
                    if (in.remaining() < 4) {
                        break;
                    }
                    length = in.getShort(start + 2) & 0xFFFF;
                    header = 4;
                } else if (length == 127) {
                    if (in.remaining() < 10) {
                        break;
                    }
                    length = (int) in.getLong(start + 2);
                    header = 10;
                }
                if (in.remaining() < header + length) {
                    break;
                }
                in.position(start + header + length);
                if (opcode == 0x8) {
                    throw new IllegalStateException("the server closed a connection");
                }
                if (!welcomed) {
                    welcomed = true;
                } else if (measuring != null && measuring.get()) {
                    done.incrementAndGet();
                    latencies.add(System.nanoTime() - sentAt);
                }
                if (running.get()) {
                    sendCall();
                }
            }
            in.compact();
        }

        private void sendCall() throws Exception {
            byte[] payload = String.format(ECHO, ++id).getBytes(StandardCharsets.UTF_8);
            out.clear();
            out.put((byte) 0x81).put((byte) (0x80 | payload.length)).put(mask);
            for (int i = 0; i < payload.length; i++) {
                out.put((byte) (payload[i] ^ mask[i & 3]));
            }
            out.flip();
            sentAt = System.nanoTime();
            while (out.hasRemaining()) {
                channel.write(out);
            }
        }
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
        Thread.sleep(WARM_UP_MILLIS);
        long cpuBefore = serverCpuNanos();
        measuring.set(true);
        long start = System.nanoTime();
        Thread.sleep(seconds * 1000L);
        measuring.set(false);
        long elapsed = System.nanoTime() - start;
        long cpu = serverCpuNanos() - cpuBefore;
        running.set(false);
        System.out.printf("tcp round trips, %d connections: %.0f/s, %s%s%n", connections, done.get() * 1e9 / elapsed,
                percentiles(latencies.sorted()), cpuPerRoundTrip(cpu, done.get()));
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
