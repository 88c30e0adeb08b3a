package io.herald.server.web.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.herald.api.spi.Messages;

/**
 * Slow and greedy clients (ConnectionGuard, BodyReader) over real sockets: the header deadline cuts off slow headers
 * but never a request in flight nor a keep-alive connection idle between requests; a slow body (JSON or a multipart
 * upload, whose written part is then deleted) is answered 408; one
 * address beyond its connection limit is answered 503.
 */
class HostileClientsTest {

    private final TestRunner runner = new TestRunner();
    private WebServer server;

    private int start(Map<String, ?> overrides) {
        server = new WebServer(TestConfig.settings(overrides), () -> runner, TestIdentity.development(), Messages::defaults);
        server.start();
        return server.port();
    }

    @AfterEach
    void stop() {
        runner.releaseSlow();
        if (server != null) {
            server.stop();
        }
    }

    @Test
    void slow_headers_are_closed_after_the_header_timeout() throws Exception {
        int port = start(Map.of("requestHeaderTimeout", 300L));
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write("GET /api/echo HTTP/1.1\r\nHost: x\r\n".getBytes(StandardCharsets.US_ASCII));
            long start = System.nanoTime();
            boolean closed = false;
            for (int i = 0; i < 100 && !closed; i++) {
                try {
                    socket.getOutputStream().write('X');
                } catch (IOException reset) {
                    closed = true;
                }
                closed = closed || closed(socket);
            }
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertTrue(closed, "still open after " + millis + " ms");
            assertTrue(millis >= 250, "closed after " + millis + " ms");
        }
    }

    @Test
    void a_request_in_flight_longer_than_the_header_timeout_is_not_cut_off() throws Exception {
        int port = start(Map.of("requestHeaderTimeout", 200L));
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write("GET /api/slow HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            assertTrue(runner.slowStarted.tryAcquire(10, TimeUnit.SECONDS));
            Thread.sleep(1000);
            runner.releaseSlow();
            assertEquals(200, status(socket.getInputStream()));
        }
    }

    @Test
    void a_keep_alive_connection_idle_between_requests_is_not_cut_off() throws Exception {
        int port = start(Map.of("requestHeaderTimeout", 200L));
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            for (int i = 0; i < 3; i++) {
                socket.getOutputStream().write("GET /api/echo?message=again HTTP/1.1\r\nHost: x\r\n\r\n"
                        .getBytes(StandardCharsets.US_ASCII));
                assertEquals(200, status(socket.getInputStream()));
                Thread.sleep(700);
            }
        }
    }

    @Test
    void a_body_slower_than_the_minimum_rate_is_answered_408() throws Exception {
        int port = start(Map.of("minRequestDataRate", 1000L, "requestBodyTimeout", 0L));
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(("POST /api/echo HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                    + "Content-Length: 5000\r\n\r\n{").getBytes(StandardCharsets.US_ASCII));
            String answer = readAll(socket.getInputStream());
            assertTrue(answer.startsWith("HTTP/1.1 408 "), answer);
            assertTrue(answer.toLowerCase(Locale.ROOT).contains("connection: close"), answer);
            assertTrue(answer.contains("{\"error\":\"the request took too long to arrive: the body arrived slower than 1000 "
                    + "bytes per second (minRequestDataRate)\"}"), answer);
        }
        assertEquals(200, RawHttp.exchange(port, "GET /api/echo?message=ok HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
                null).status());
    }

    @Test
    void one_address_beyond_its_limit_is_answered_503_unless_it_is_a_trusted_proxy() throws Exception {
        int port = start(Map.of("maxConnectionsPerAddress", 2L, "trustedProxies", new String[] { "10.0.0.1" }));
        List<Socket> held = new ArrayList<>();
        try {
            for (int i = 0; i < 2; i++) {
                held.add(new Socket("127.0.0.1", port));
            }
            try (Socket third = new Socket("127.0.0.1", port)) {
                third.setSoTimeout(10_000);
                String answer = readAll(third.getInputStream());
                assertTrue(answer.startsWith("HTTP/1.1 503 "), answer);
                assertTrue(answer.endsWith("{\"error\":\"too many connections: at most 2 from one address are accepted, try "
                        + "again later\"}"), answer);
            }
        } finally {
            for (Socket socket : held) {
                socket.close();
            }
        }
        server.stop();
        server = null;
        int trusted = start(Map.of("maxConnectionsPerAddress", 2L));
        List<Socket> many = new ArrayList<>();
        try {
            for (int i = 0; i < 5; i++) {
                many.add(new Socket("127.0.0.1", trusted));
            }
            assertEquals(200, RawHttp.exchange(trusted, "GET /api/echo?message=ok HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
                    null).status(), "loopback is a trusted proxy by default, exempt from the limit");
        } finally {
            for (Socket socket : many) {
                socket.close();
            }
        }
    }

    @Test
    void an_upload_slower_than_the_minimum_rate_is_answered_408_and_its_files_deleted(@TempDir Path uploads)
            throws Exception {
        int port = start(Map.of("minRequestDataRate", 1000L, "requestBodyTimeout", 0L, "uploadDir", uploads.toString()));
        byte[] start = ("--" + MultipartForm.BOUNDARY + "\r\nContent-Disposition: form-data; name=\"file\"; "
                + "filename=\"slow.bin\"\r\nContent-Type: application/octet-stream\r\n\r\n" + "x".repeat(2000))
                .getBytes(StandardCharsets.US_ASCII);
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(("POST /api/echo HTTP/1.1\r\nHost: x\r\nContent-Type: "
                    + MultipartForm.CONTENT_TYPE + "\r\nContent-Length: 100000\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().write(start);
            // Then nothing more: the parser waits for the rest without a thread, and the rate check ends it.
            String answer = readAll(socket.getInputStream());
            assertTrue(answer.startsWith("HTTP/1.1 408 "), answer);
            assertTrue(answer.toLowerCase(Locale.ROOT).contains("connection: close"), answer);
            assertTrue(answer.contains("{\"error\":\"the request took too long to arrive: the body arrived slower than 1000 "
                    + "bytes per second (minRequestDataRate)\"}"), answer);
        }
        try (Stream<Path> left = Files.list(uploads)) {
            assertEquals(List.of(), left.toList(), "the part written before the stall is deleted");
        }
        assertEquals(200, RawHttp.exchange(port, "GET /api/echo?message=ok HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
                null).status());
    }

    /** Whether the server closed the socket (waits a little for it). */
    private static boolean closed(Socket socket) throws IOException {
        socket.setSoTimeout(50);
        try {
            return socket.getInputStream().read() < 0;
        } catch (SocketTimeoutException stillOpen) {
            return false;
        } catch (IOException reset) {
            return true;
        } finally {
            if (!socket.isClosed()) {
                socket.setSoTimeout(10_000);
            }
        }
    }

    /** Reads one response on a keep-alive connection and returns its status. */
    private static int status(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("closed: " + head.toString(StandardCharsets.ISO_8859_1));
            }
            head.write(b);
        }
        String text = head.toString(StandardCharsets.ISO_8859_1);
        int length = 0;
        for (String line : text.split("\r\n")) {
            if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                length = Integer.parseInt(line.substring(15).trim());
            }
        }
        in.readNBytes(length);
        return Integer.parseInt(text.substring(9, 12));
    }

    private static String readAll(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[4096];
        try {
            for (int n; (n = in.read(buffer)) > 0;) {
                out.write(buffer, 0, n);
            }
        } catch (IOException reset) {
            if (out.size() == 0) {
                throw reset;
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
