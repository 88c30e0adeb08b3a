package io.herald.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 13, item 8: what a hostile client sends, against the built distribution over raw sockets. Each case is its own
 * test: the status, the error in the catalogue's words (never a library's class name, never a stack trace), and then a
 * normal request on a new connection is answered 200, so the node is unharmed. The node runs with short timeouts and a
 * small per-address limit (its trusted proxy is not loopback, so the test's own address is limited).
 */
class HostileInputIT {

    private static final Duration START = Duration.ofSeconds(60);
    private static final int MAX_BODY = 3 * 1024 * 1024;
    private static final int PER_ADDRESS = 20;
    private static HeraldProcess herald;
    private static Path uploads;

    @BeforeAll
    static void start() throws Exception {
        Path home = HeraldProcess.newHome(HeraldProcess.EXAMPLE_JAR);
        uploads = home.resolve("uploads");
        Path web = home.resolve("config/io.herald.server.web.cfg");
        Files.writeString(web, Files.readString(web) + "\n"
                + "maxBodySize = " + MAX_BODY + "\n"
                + "idleTimeout = 5000\n"
                + "requestHeaderTimeout = 1000\n"
                + "requestBodyTimeout = 2000\n"
                + "minRequestDataRate = 100\n"
                + "maxConnectionsPerAddress = " + PER_ADDRESS + "\n"
                + "trustedProxies = 192.0.2.1\n"
                + "uploadDir = " + uploads + "\n");
        herald = HeraldProcess.startIn(home, Map.of("HERALD_TITLE", "hostile"));
        herald.awaitStarted(START);
    }

    @AfterAll
    static void stop() throws Exception {
        if (herald != null) {
            herald.close();
        }
    }

    static Stream<Arguments> refusals() {
        List<Arguments> cases = new ArrayList<>();
        // Request lines and HTTP versions
        add(cases, "HTTP/0.9 request line without a version", "GET /\r\n\r\n", 505, "HTTP version not supported");
        add(cases, "HTTP/0.9 named", "GET / HTTP/0.9\r\n\r\n", 505, "HTTP version not supported");
        add(cases, "HTTP/9.9", "GET /api/echo?message=a HTTP/9.9\r\nHost: x\r\n\r\n", 505, "HTTP version not supported");
        add(cases, "HTTP/2.0 on an HTTP/1 connection", "GET /api/echo?message=a HTTP/2.0\r\nHost: x\r\n\r\n", 505,
                "HTTP version not supported");
        add(cases, "HTTP/1.7", "GET /api/echo?message=a HTTP/1.7\r\nHost: x\r\n\r\n", 505, "HTTP version not supported");
        add(cases, "a version that is not HTTP", "GET /api/echo?message=a FTP/1.1\r\nHost: x\r\n\r\n", 505,
                "HTTP version not supported");
        add(cases, "control bytes instead of a request line", "\u0000\u0001\u0002garbage\r\n\r\n", 400, "malformed request");
        add(cases, "a method with an illegal character", "G@T /api/echo HTTP/1.1\r\nHost: x\r\n\r\n", 400, "malformed request");
        add(cases, "a request line without a target", "GET  HTTP/1.1\r\nHost: x\r\n\r\n", 505, "HTTP version not supported");
        add(cases, "a header without a colon", "GET /api/echo?message=a HTTP/1.1\r\nHost: x\r\nNoColon\r\n\r\n", 400,
                "malformed request");
        add(cases, "a space before a header's colon", "GET /api/echo?message=a HTTP/1.1\r\nHost : x\r\n\r\n", 400,
                "malformed request");
        add(cases, "a NUL in a header value", "GET /api/echo?message=a HTTP/1.1\r\nHost: x\r\nX-A: a\u0000b\r\n\r\n", 400,
                "malformed request");
        add(cases, "no Host header in HTTP/1.1", "GET /api/echo?message=a HTTP/1.1\r\n\r\n", 400, "malformed request");
        add(cases, "headers larger than Jetty's buffer", "GET /api/echo?message=a HTTP/1.1\r\nHost: x\r\nX-Big: "
                + "a".repeat(20_000) + "\r\n\r\n", 431, "malformed request");
        add(cases, "a URI larger than Jetty's buffer", "GET /api/echo?message=" + "a".repeat(20_000) + " HTTP/1.1\r\nHost: x\r\n\r\n",
                414, "malformed request");
        add(cases, "a method no route serves", "FOO /api/echo?message=a HTTP/1.1\r\nHost: x\r\n\r\n", 405,
                "method FOO is not allowed here");

        // Strict UTF-8 and percent-encoding in the path and the query
        add(cases, "a raw 0xFF byte in the query", bytes("GET /api/echo?message=", 0xFF, 0xFE, " HTTP/1.1\r\nHost: x\r\n\r\n"),
                400, "bytes in the query string are not UTF-8");
        add(cases, "a raw overlong UTF-8 slash in the query", bytes("GET /api/echo?message=", 0xC0, 0xAF,
                " HTTP/1.1\r\nHost: x\r\n\r\n"), 400, "not UTF-8");
        add(cases, "a percent-encoded overlong slash in the query", "GET /api/echo?message=%C0%AF HTTP/1.1\r\nHost: x\r\n\r\n",
                400, "percent-encoded bytes in the query string are not UTF-8");
        add(cases, "a percent-encoded surrogate in the query", "GET /api/echo?message=%ED%A0%80 HTTP/1.1\r\nHost: x\r\n\r\n",
                400, "percent-encoded bytes in the query string are not UTF-8");
        add(cases, "a percent-encoded 0xFF in the query", "GET /api/echo?message=%FF HTTP/1.1\r\nHost: x\r\n\r\n", 400,
                "percent-encoded bytes in the query string are not UTF-8");
        add(cases, "a broken percent-escape in the query", "GET /api/echo?message=%zz HTTP/1.1\r\nHost: x\r\n\r\n", 400,
                "invalid percent-encoding \\\"%zz\\\" in the query string");
        add(cases, "a raw 0xFF byte in the path", bytes("GET /api/ec", 0xFF, "ho?message=a HTTP/1.1\r\nHost: x\r\n\r\n"), 400,
                "malformed request");
        add(cases, "a percent-encoded overlong slash in the path", "GET /api/echo/%C0%AF?message=a HTTP/1.1\r\nHost: x\r\n\r\n",
                400, "malformed request");
        add(cases, "a percent-encoded surrogate in the path", "GET /api/%ED%A0%80?message=a HTTP/1.1\r\nHost: x\r\n\r\n", 400,
                "malformed request");

        // JSON limits, each named; strict UTF-8 in bodies; numbers that overflow
        add(cases, "JSON arrays nested 1,000 deep", json("{\"message\":" + "[".repeat(1000) + "]".repeat(1000) + "}"), 400,
                "the document nests deeper than 100 levels");
        add(cases, "JSON objects nested 101 deep", json("{\"message\":" + "{\"a\":".repeat(101) + "1" + "}".repeat(101) + "}"),
                400, "the document nests deeper than 100 levels");
        add(cases, "a JSON number of 1,001 digits", json("{\"message\":" + "9".repeat(1001) + "}"), 400,
                "a number is longer than 1000 characters");
        add(cases, "a JSON number beyond a double", json("{\"message\":1e999999999}"), 400,
                "a number is too large (beyond the range of a double)");
        add(cases, "a negative JSON number beyond a double", json("{\"message\":[-1e999999999]}"), 400,
                "a number is too large (beyond the range of a double)");
        add(cases, "a JSON string over 1 MiB characters", json("{\"message\":\"" + "a".repeat(1024 * 1024 + 1) + "\"}"), 400,
                "a string is longer than 1048576 characters");
        add(cases, "a JSON property name over 10,000 characters", json("{\"" + "k".repeat(10_001) + "\":1,\"message\":\"a\"}"),
                400, "a property name is longer than 10000 characters");
        add(cases, "overlong UTF-8 in a JSON body", jsonBytes(bytes("{\"message\":\"", 0xC0, 0xAF, "\"}")), 400,
                "the document is not valid UTF-8 (byte 13)");
        add(cases, "an encoded surrogate in a JSON body", jsonBytes(bytes("{\"message\":\"", 0xED, 0xA0, 0x80, "\"}")), 400,
                "the document is not valid UTF-8 (byte 13)");
        add(cases, "a 0xFF byte in a JSON body", jsonBytes(bytes("{\"message\":\"", 0xFF, "\"}")), 400,
                "the document is not valid UTF-8 (byte 13)");
        add(cases, "a truncated UTF-8 sequence in a JSON body", jsonBytes(bytes("{\"message\":\"", 0xE2, 0x82, "\"}")), 400,
                "the document is not valid UTF-8 (byte 13)");
        add(cases, "a JSON token cut short", json("{\"message\": tru}"), 400, "malformed request body: Unrecognized token");
        add(cases, "a JSON document cut short", json("{\"message\": [1,2"), 400, "malformed request body: Unexpected end-of-input");
        add(cases, "data after a JSON document", json("{\"message\":\"a\"} {}"), 400,
                "unexpected data after the end of the JSON document");
        add(cases, "a JSON body that is a single value", json("\"a\""), 400, "a JSON body must be an object or an array");
        add(cases, "a form body with a percent-encoded 0xFF", body("application/x-www-form-urlencoded",
                "message=%FF".getBytes(StandardCharsets.US_ASCII)), 400, "percent-encoded bytes in the form body are not UTF-8");
        add(cases, "a form body with a raw 0xFF", body("application/x-www-form-urlencoded", bytes("message=", 0xFF)), 400,
                "the form is not UTF-8");
        add(cases, "a body type Herald does not read", body("text/plain", "hello".getBytes(StandardCharsets.US_ASCII)), 415,
                "unsupported content type: text/plain");

        // Framing
        add(cases, "a declared body over maxBodySize", "POST /api/echo HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                + "Content-Length: " + (MAX_BODY + 1) + "\r\n\r\n", 413, "request body is larger than the limit of " + MAX_BODY + " bytes");
        add(cases, "a Content-Length that is no number", "POST /api/echo HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                + "Content-Length: ten\r\n\r\n", 400, "malformed request");
        add(cases, "two different Content-Lengths", "POST /api/echo HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                + "Content-Length: 2\r\nContent-Length: 3\r\n\r\n{}", 400, "malformed request");
        add(cases, "a chunk size that is no number", "POST /api/echo HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                + "Transfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n", 400, "malformed request");
        add(cases, "an unknown transfer coding", "POST /api/echo HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                + "Transfer-Encoding: rot13\r\n\r\n{}", 400, "malformed request");
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusals")
    void a_hostile_request_gets_a_bounded_answer_and_the_node_keeps_serving(String name, byte[] request, int status,
            String words) throws Exception {
        RawHttp.Answer answer = RawHttp.exchange(herald.port, request, 15_000);
        assertEquals(status, answer.status(), name + ": " + answer.head() + answer.body());
        assertTrue(answer.body().startsWith("{\"error\":\""), answer.body());
        assertTrue(answer.body().contains(words), name + ": " + answer.body());
        assertNoLibraryNames(answer.body());
        assertServing();
    }

    @Test
    void a_body_sent_slower_than_the_minimum_rate_is_answered_408_and_cut_off() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", herald.port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /api/echo HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{")
                    .getBytes(StandardCharsets.US_ASCII));
            long start = System.nanoTime();
            Thread trickle = new Thread(() -> {
                try {
                    for (int i = 0; i < 40; i++) {
                        Thread.sleep(100);
                        out.write(' ');
                    }
                } catch (IOException | InterruptedException cutOff) {
                    // the server closed the connection: expected
                }
            });
            trickle.start();
            RawHttp.Answer answer = RawHttp.read(socket.getInputStream());
            long millis = (System.nanoTime() - start) / 1_000_000;
            trickle.interrupt();
            assertEquals(408, answer.status(), answer.body());
            assertTrue(answer.body().contains("the request took too long to arrive: the body arrived slower than 100 bytes per "
                    + "second (minRequestDataRate)"), answer.body());
            assertTrue(answer.head().toLowerCase().contains("connection: close"), answer.head());
            assertTrue(millis < 4000, "cut off after " + millis + " ms");
        }
        assertServing();
    }

    @Test
    void an_upload_that_stops_arriving_is_answered_408_after_the_body_timeout_and_its_file_deleted() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", herald.port)) {
            socket.setSoTimeout(10_000);
            // A file part begun with 900 bytes (written to the upload directory as they come), then nothing: the
            // parser waits without a thread, and the body timeout ends it.
            String boundary = "hostile-upload-boundary";
            socket.getOutputStream().write(("POST /api/echo HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; "
                    + "boundary=" + boundary + "\r\nContent-Length: 100000\r\n\r\n--" + boundary + "\r\n"
                    + "Content-Disposition: form-data; name=\"file\"; filename=\"stalled.bin\"\r\n"
                    + "Content-Type: application/octet-stream\r\n\r\n" + "u".repeat(900)).getBytes(StandardCharsets.US_ASCII));
            long start = System.nanoTime();
            RawHttp.Answer answer = RawHttp.read(socket.getInputStream());
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertEquals(408, answer.status(), answer.body());
            assertTrue(answer.body().contains("the body was not complete after 2000 ms (requestBodyTimeout)"), answer.body());
            assertTrue(millis >= 1500 && millis < 5000, "answered after " + millis + " ms");
        }
        try (Stream<Path> left = Files.list(uploads)) {
            assertEquals(List.of(), left.toList(), "the part written before the stall is deleted");
        }
        assertServing();
    }

    @Test
    void a_body_that_stops_arriving_is_answered_408_after_the_body_timeout() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", herald.port)) {
            socket.setSoTimeout(10_000);
            // 900 bytes at once keep the average over 100 bytes per second until the 2 s body timeout.
            socket.getOutputStream().write(("POST /api/echo HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                    + "Content-Length: 2000\r\n\r\n{\"message\":\"" + "a".repeat(900)).getBytes(StandardCharsets.US_ASCII));
            long start = System.nanoTime();
            RawHttp.Answer answer = RawHttp.read(socket.getInputStream());
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertEquals(408, answer.status(), answer.body());
            assertTrue(answer.body().contains("the body was not complete after 2000 ms (requestBodyTimeout)"), answer.body());
            assertTrue(millis >= 1500 && millis < 5000, "answered after " + millis + " ms");
        }
        assertServing();
    }

    @Test
    void headers_sent_slowly_are_cut_off_after_the_header_timeout() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", herald.port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            long start = System.nanoTime();
            out.write("GET /api/echo?message=a HTTP/1.1\r\n".getBytes(StandardCharsets.US_ASCII));
            Thread trickle = new Thread(() -> {
                try {
                    for (int i = 0; i < 100; i++) {
                        Thread.sleep(100);
                        out.write('X');
                    }
                } catch (IOException | InterruptedException cutOff) {
                    // the server closed the connection: expected
                }
            });
            trickle.start();
            RawHttp.Answer answer = RawHttp.read(socket.getInputStream());
            long millis = (System.nanoTime() - start) / 1_000_000;
            trickle.interrupt();
            assertTrue(answer.closedWithoutAnswer(), "closed without an answer: " + answer);
            assertTrue(millis >= 900 && millis < 4000, "cut off after " + millis + " ms (requestHeaderTimeout 1000)");
        }
        assertServing();
        assertTrue(herald.output().contains("request headers were not complete after 1000 ms (requestHeaderTimeout)"));
    }

    @Test
    void one_address_holds_at_most_its_connections_and_the_next_is_refused_503() throws Exception {
        List<Socket> held = new ArrayList<>();
        try {
            for (int i = 0; i < PER_ADDRESS; i++) {
                Socket socket = new Socket("127.0.0.1", herald.port);
                socket.setSoTimeout(10_000);
                held.add(socket);
            }
            // Each held connection is live: one request on the first shows it (it stays open, keep-alive).
            held.get(0).getOutputStream().write("GET /api/echo?message=held HTTP/1.1\r\nHost: x\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            assertEquals(200, RawHttp.read(held.get(0).getInputStream()).status());
            try (Socket extra = new Socket("127.0.0.1", herald.port)) {
                extra.setSoTimeout(10_000);
                RawHttp.Answer refused = RawHttp.read(extra.getInputStream());
                assertEquals(503, refused.status(), refused.body());
                assertEquals("{\"error\":\"too many connections: at most " + PER_ADDRESS
                        + " from one address are accepted, try again later\"}", refused.body());
            }
        } finally {
            for (Socket socket : held) {
                socket.close();
            }
        }
        // The count goes down as connections close: a new one is served again.
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (true) {
            RawHttp.Answer answer = RawHttp.exchange(herald.port, "GET /api/echo?message=ok HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
            if (answer.status() == 200 || System.nanoTime() > deadline) {
                assertEquals(200, answer.status(), answer.body());
                break;
            }
            Thread.sleep(50);
        }
    }

    @Test
    void control_characters_in_an_action_name_and_params_cannot_forge_a_log_line() throws Exception {
        RawHttp.Answer unknown = RawHttp.exchange(herald.port,
                "GET /api?action=nope%0d%0aFORGED-ACTION%00&x%0aFORGED-NAME=1 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        assertEquals(404, unknown.status(), unknown.body());
        assertEquals("unknown action or invalid apiVersion", errorOf(unknown));
        RawHttp.Answer echo = RawHttp.exchange(herald.port,
                "GET /api/echo?message=a%0d%0aFORGED-VALUE%1b[31m HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        assertEquals(200, echo.status(), echo.body());
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!herald.output().contains("FORGED-VALUE") && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        for (String line : herald.output().split("\n")) {
            for (String forged : List.of("FORGED-ACTION", "FORGED-NAME", "FORGED-VALUE", "%00", "%0d")) {
                assertFalse(line.strip().startsWith(forged), "a line begins with what a client sent: " + line);
            }
            assertFalse(line.contains("\u001b[31m"), "an escape sequence reached the log: " + line);
        }
        assertTrue(herald.output().contains("nope\\r\\nFORGED-ACTION\\u0000"), "the action name is logged escaped");
    }

    @Test
    void no_hostile_request_made_the_node_log_a_stack_trace_or_a_500() throws Exception {
        // Runs in any order with the others: whatever ran before it must have left no trace of a failure.
        for (Arguments refusal : refusals().toList()) {
            RawHttp.exchange(herald.port, (byte[]) refusal.get()[1], 15_000);
        }
        assertServing();
        String output = herald.output();
        assertFalse(output.contains("internal error (reference"), output);
        for (String frame : List.of("\tat org.eclipse.jetty", "\tat com.fasterxml")) {
            assertFalse(output.contains(frame), () -> "a stack trace was logged:\n" + around(output, frame));
        }
    }

    /** The lines of {@code output} before and after the first {@code text}: a failure says what was logged. */
    private static String around(String output, String text) {
        int at = output.indexOf(text);
        int from = at;
        for (int lines = 0; from > 0 && lines < 15; lines++) {
            from = output.lastIndexOf('\n', from - 1);
        }
        return output.substring(Math.max(0, from), Math.min(output.length(), at + 3000));
    }

    private static void assertServing() throws IOException {
        RawHttp.Answer ok = RawHttp.exchange(herald.port, "GET /api/echo?message=still-here HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        assertEquals(200, ok.status(), "the next normal request: " + ok.head() + ok.body());
        assertTrue(ok.body().contains("\"message\":\"still-here\""), ok.body());
    }

    private static void assertNoLibraryNames(String body) {
        assertFalse(body.matches("(?s).*(com\\.fasterxml|jackson|org\\.eclipse|java\\.lang|Exception|\\tat ).*"),
                "a library's name or a stack trace in the answer: " + body);
    }

    private static String errorOf(RawHttp.Answer answer) {
        String body = answer.body();
        int start = body.indexOf("\"error\":\"") + 9;
        return body.substring(start, body.indexOf('"', start));
    }

    private static void add(List<Arguments> cases, String name, String request, int status, String words) {
        add(cases, name, request.getBytes(StandardCharsets.ISO_8859_1), status, words);
    }

    private static void add(List<Arguments> cases, String name, byte[] request, int status, String words) {
        cases.add(Arguments.of(name, request, status, words));
    }

    private static byte[] json(String json) {
        return body("application/json", json.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] jsonBytes(byte[] json) {
        return body("application/json", json);
    }

    private static byte[] body(String contentType, byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(("POST /api/echo HTTP/1.1\r\nHost: x\r\nContent-Type: " + contentType + "\r\nContent-Length: "
                + body.length + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(body);
        return out.toByteArray();
    }

    /** Text and raw bytes (ints) in one request. */
    private static byte[] bytes(Object... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Object part : parts) {
            if (part instanceof String text) {
                out.writeBytes(text.getBytes(StandardCharsets.ISO_8859_1));
            } else {
                out.write((Integer) part);
            }
        }
        return out.toByteArray();
    }
}
