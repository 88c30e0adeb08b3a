package io.herald.server.web.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.herald.api.spi.Messages;

/**
 * A body over maxBodySize is refused with 413 while the client is still sending it. The client must read that 413,
 * not a connection reset: the server drains the rest of the body (bounded in bytes and time) before it closes.
 *
 * <p>The race is reproduced without timings: a client that sends the whole body before reading anything gets a reset
 * on its writes every time if the server closes with part of the body unread (the kernel answers unread data with a
 * reset). Clients such as java.net.http and browsers then report "connection reset" instead of the 413.
 */
class OversizedBodyTest {

    private static final int LIMIT = 1024 * 1024;
    private static final int BODY = 8 * 1024 * 1024;
    private static final int CHUNK = 64 * 1024;
    private static final String ERROR = "{\"error\":\"request body is larger than the limit of 1048576 bytes\"}";
    /** A cap on the tests' polling, far above any bound under test and below Jetty's 30 s idle timeout. */
    private static final long PATIENCE_NANOS = 20_000_000_000L;

    private final TestRunner runner = new TestRunner();
    private WebServer server;
    private int port;

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop();
        }
    }

    @Test
    void a_client_sending_all_of_a_declared_body_over_the_limit_reads_the_413() throws Exception {
        // A drain timeout far above what 8 MB over loopback takes, so a busy machine cannot make this flaky.
        start(Map.of("drainTimeout", 120_000L));
        for (int i = 0; i < 20; i++) {
            Exchange exchange = sendAllThenRead(head("Content-Length: " + BODY), body(false));

            exchange.assertRefusedWithoutReset("iteration " + i);
        }
        assertStillServing();
    }

    @Test
    void a_client_sending_all_of_a_chunked_body_over_the_limit_reads_the_413() throws Exception {
        start(Map.of("drainTimeout", 120_000L));
        for (int i = 0; i < 20; i++) {
            Exchange exchange = sendAllThenRead(head("Transfer-Encoding: chunked"), body(true));

            exchange.assertRefusedWithoutReset("iteration " + i);
        }
        assertStillServing();
    }

    @Test
    void java_net_http_sending_a_body_over_the_limit_gets_the_413() throws Exception {
        // The client of the end-to-end test that once saw a reset: it keeps sending the body, then reads.
        start(Map.of("drainTimeout", 120_000L));
        HttpClient client = HttpClient.newHttpClient();
        byte[] body = new byte[2 * LIMIT];
        Arrays.fill(body, (byte) 'a');
        for (int i = 0; i < 20; i++) {
            HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/echo"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());

            assertEquals(413, response.statusCode(), "iteration " + i);
            assertEquals(ERROR, response.body(), "iteration " + i);
        }
    }

    @Test
    void the_drain_stops_after_maxDrainSize_bytes() throws Exception {
        start(Map.of("maxDrainSize", 256 * 1024L, "drainTimeout", 120_000L));
        long endless = 1L << 40;
        long cap = 64L * 1024 * 1024;
        try (Socket socket = connect()) {
            OutputStream out = socket.getOutputStream();
            out.write(head("Content-Length: " + endless).getBytes(StandardCharsets.ISO_8859_1));
            byte[] chunk = filled(CHUNK);
            long sent = 0;
            IOException closed = null;
            try {
                while (sent < cap) {
                    out.write(chunk);
                    sent += chunk.length;
                }
            } catch (IOException e) {
                closed = e;
            }

            // The server read 256 KB more and closed: the writes fail once the socket buffers between are full.
            assertNotNull(closed, "the server kept reading: " + sent + " bytes sent");
            assertTrue(sent < cap);
            // The 413 and the end of the response came before the close, and are still there to read.
            String received = readAll(socket.getInputStream()).text;
            assertTrue(received.startsWith("HTTP/1.1 413 "), received);
        }
        assertStillServing();
    }

    @Test
    void the_drain_stops_after_drainTimeout_even_when_the_client_trickles() throws Exception {
        // A slow client: a huge declared body sent a byte at a time, never idle long enough for Jetty's idle timeout.
        start(Map.of("drainTimeout", 200L));
        try (Socket socket = connect()) {
            OutputStream out = socket.getOutputStream();
            out.write((head("Content-Length: " + BODY) + "a").getBytes(StandardCharsets.ISO_8859_1));
            out.flush();

            // The whole response, up to the half-close, arrives while the server is still draining.
            Received response = readAll(socket.getInputStream());
            assertNull(response.failure);
            assertTrue(response.text.startsWith("HTTP/1.1 413 "), response.text);

            assertTrue(serverClosesWhileTrickling(out), "the drain did not end while the client kept sending");
        }
        assertStillServing();
    }

    @Test
    void drains_waiting_for_slow_clients_hold_no_thread() throws Exception {
        // More clients than the pool has threads (200), each in a drain that waits for the rest of its body.
        start(Map.of("drainTimeout", 120_000L));
        List<Socket> clients = new ArrayList<>();
        try {
            for (int i = 0; i < 250; i++) {
                Socket socket = connect();
                clients.add(socket);
                socket.getOutputStream().write((head("Content-Length: " + BODY) + "a").getBytes(StandardCharsets.ISO_8859_1));

                // The drain starts once the response is written, so each 413 means one more drain waiting.
                Received response = readAll(socket.getInputStream());
                assertTrue(response.text.startsWith("HTTP/1.1 413 "), "client " + i + ": " + response.text);
            }
            assertStillServing();
        } finally {
            for (Socket socket : clients) {
                socket.close();
            }
        }
    }

    @Test
    void a_client_expecting_100_continue_is_refused_without_a_drain() throws Exception {
        // It sends no body unless told to, and a refusal never tells it: there is nothing to wait for.
        start(Map.of("drainTimeout", 120_000L));
        try (Socket socket = connect()) {
            OutputStream out = socket.getOutputStream();
            out.write(head("Content-Length: " + BODY + "\r\nExpect: 100-continue").getBytes(StandardCharsets.ISO_8859_1));
            out.flush();

            Received response = readAll(socket.getInputStream());
            assertNull(response.failure);
            assertTrue(response.text.startsWith("HTTP/1.1 413 "), response.text);
            assertTrue(response.text.endsWith(ERROR), response.text);
            // Closed at once, not after the two minutes a drain would wait.
            assertTrue(serverClosesWhileTrickling(out), "the server waited for a body it never asked for");
        }
    }

    // ---- helpers

    private void start(Map<String, Object> overrides) {
        Map<String, Object> values = new HashMap<>(overrides);
        values.put("maxBodySize", (long) LIMIT);
        server = new WebServer(TestConfig.settings(values), () -> runner, TestIdentity.development(), Messages::defaults);
        server.start();
        port = server.port();
    }

    private static String head(String framing) {
        return "POST /api/echo HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\n" + framing + "\r\n\r\n";
    }

    /** 8 MB of body in 64 KB writes, as is or in chunked framing (one chunk per write, then the last chunk). */
    private static byte[][] body(boolean chunked) {
        byte[] data = filled(CHUNK);
        byte[][] writes = new byte[BODY / CHUNK + (chunked ? 1 : 0)][];
        for (int i = 0; i < BODY / CHUNK; i++) {
            if (chunked) {
                byte[] size = (Integer.toHexString(CHUNK) + "\r\n").getBytes(StandardCharsets.US_ASCII);
                byte[] framed = Arrays.copyOf(size, size.length + CHUNK + 2);
                System.arraycopy(data, 0, framed, size.length, CHUNK);
                framed[framed.length - 2] = '\r';
                framed[framed.length - 1] = '\n';
                writes[i] = framed;
            } else {
                writes[i] = data;
            }
        }
        if (chunked) {
            writes[writes.length - 1] = "0\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        }
        return writes;
    }

    private static byte[] filled(int size) {
        byte[] bytes = new byte[size];
        Arrays.fill(bytes, (byte) 'a');
        return bytes;
    }

    private Socket connect() throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
        // Below Jetty's idle timeout: a read that waits that long means the server is stuck, not slow.
        socket.setSoTimeout((int) (PATIENCE_NANOS / 1_000_000));
        return socket;
    }

    /** Sends the head and every write of the body, noting a failed write rather than stopping, then reads to the end. */
    private Exchange sendAllThenRead(String head, byte[][] body) throws IOException {
        try (Socket socket = connect()) {
            OutputStream out = socket.getOutputStream();
            IOException writeFailure = null;
            try {
                out.write(head.getBytes(StandardCharsets.ISO_8859_1));
                for (byte[] write : body) {
                    out.write(write);
                }
                out.flush();
            } catch (IOException e) {
                writeFailure = e;
            }
            return new Exchange(writeFailure, readAll(socket.getInputStream()));
        }
    }

    /**
     * Sends a byte at a time until a write fails: the server has closed the connection (its kernel answers the first
     * byte after the close with a reset, and the next write fails). False if that does not happen within the patience.
     */
    private static boolean serverClosesWhileTrickling(OutputStream out) throws InterruptedException {
        long deadline = System.nanoTime() + PATIENCE_NANOS;
        while (System.nanoTime() - deadline < 0) {
            try {
                out.write('a');
                out.flush();
            } catch (IOException closed) {
                return true;
            }
            Thread.sleep(10);
        }
        return false;
    }

    private static Received readAll(InputStream in) {
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        try {
            int n;
            while ((n = in.read(buffer)) > 0) {
                received.write(buffer, 0, n);
            }
            return new Received(received.toString(StandardCharsets.UTF_8), null);
        } catch (IOException e) {
            return new Received(received.toString(StandardCharsets.UTF_8), e);
        }
    }

    private void assertStillServing() throws IOException {
        RawHttp.Reply reply = RawHttp.exchange(port, "GET /api/echo?message=alive HTTP/1.1\r\nHost: test\r\nConnection: close\r\n\r\n",
                null);
        assertEquals(200, reply.status());
    }

    /** What a client read, and how the reading ended: {@code failure} is null when it ended with the server's FIN. */
    private record Received(String text, IOException failure) {
    }

    private record Exchange(IOException writeFailure, Received received) {

        void assertRefusedWithoutReset(String context) {
            assertNull(writeFailure, context + ": the server reset the connection while the body was being sent");
            assertNull(received.failure, context + ": reading the response failed after \"" + received.text + "\"");
            assertTrue(received.text.startsWith("HTTP/1.1 413 "), context + ": " + received.text);
            assertTrue(received.text.contains("\r\nConnection: close\r\n"), context + ": " + received.text);
            assertTrue(received.text.endsWith("\r\n\r\n" + ERROR), context + ": " + received.text);
            assertFalse(received.text.substring(1).contains("HTTP/1.1"), context + ": one response only: " + received.text);
        }
    }
}
