package io.herald.server.web.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.zip.GZIPInputStream;

import com.aayushatharva.brotli4j.Brotli4jLoader;
import com.aayushatharva.brotli4j.decoder.Decoder;
import com.aayushatharva.brotli4j.decoder.DecoderJNI;
import com.aayushatharva.brotli4j.decoder.DirectDecompress;
import com.aayushatharva.brotli4j.encoder.Encoder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.herald.api.spi.Messages;

/** Static files and response compression over real sockets, with a test runner in place of the core. */
class StaticFilesTest {

    private static final String INDEX = "<!doctype html><title>Herald</title><p>hello</p>\n";

    @TempDir
    Path directory;

    private final HttpClient client = HttpClient.newHttpClient();
    private WebServer server;
    private int port;
    private Path first;
    private Path second;

    private void start(Map<String, Object> overrides) throws IOException {
        first = Files.createDirectories(directory.resolve("public"));
        second = Files.createDirectories(directory.resolve("shared"));
        Files.writeString(first.resolve("index.html"), INDEX);
        Files.writeString(first.resolve("app.js"), "console.log('first');\n");
        Files.writeString(second.resolve("app.js"), "console.log('second');\n");
        Files.writeString(second.resolve("only-second.css"), "body { color: red; }\n");
        Files.createDirectories(first.resolve("docs"));
        Files.writeString(first.resolve("docs/index.html"), "<p>docs</p>");
        Files.createDirectories(first.resolve("empty"));
        Files.writeString(first.resolve("big.txt"), "0123456789abcdef\n".repeat(600));
        Files.writeString(first.resolve("small.txt"), "tiny");
        Files.writeString(first.resolve("medium.txt"), "0123456789".repeat(30));
        Files.writeString(directory.resolve("secret.txt"), "outside the static directories");
        Map<String, Object> values = new HashMap<>();
        values.put("staticDirectories", new String[] { first.toString(), second.toString() });
        values.putAll(overrides);
        server = new WebServer(TestConfig.settings(values), TestRunner::new, TestIdentity.development(), Messages::defaults);
        server.start();
        port = server.port();
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop();
        }
    }

    // ---- files

    @Test
    void a_file_is_served_with_its_type_validators_and_cache_control() throws Exception {
        start(Map.of());

        HttpResponse<String> response = get("/public/app.js", Map.of());

        assertEquals(200, response.statusCode());
        assertEquals("console.log('first');\n", response.body());
        assertTrue(header(response, "Content-Type").startsWith("text/javascript"), header(response, "Content-Type"));
        assertNotNull(header(response, "ETag"));
        assertNotNull(header(response, "Last-Modified"));
        assertEquals("max-age=60, must-revalidate, public", header(response, "Cache-Control"));
        assertEquals("Herald", header(response, "X-Powered-By"));
    }

    @Test
    void the_root_and_a_directory_serve_their_index_html() throws Exception {
        start(Map.of());

        HttpResponse<String> root = get("/", Map.of());
        HttpResponse<String> docs = get("/public/docs/", Map.of());
        HttpResponse<String> rootFile = get("/app.js", Map.of());

        assertEquals(200, root.statusCode());
        assertEquals(INDEX, root.body());
        assertTrue(header(root, "Content-Type").startsWith("text/html"), header(root, "Content-Type"));
        assertEquals(200, docs.statusCode());
        assertEquals("<p>docs</p>", docs.body());
        assertEquals(200, rootFile.statusCode());
    }

    @Test
    void the_first_directory_that_has_a_file_serves_it() throws Exception {
        start(Map.of());

        assertEquals("console.log('first');\n", get("/public/app.js", Map.of()).body());
        HttpResponse<String> fromSecond = get("/public/only-second.css", Map.of());
        assertEquals(200, fromSecond.statusCode());
        assertEquals("body { color: red; }\n", fromSecond.body());
        assertTrue(header(fromSecond, "Content-Type").startsWith("text/css"));
    }

    @Test
    void a_repeated_request_is_answered_304_by_etag_and_by_date() throws Exception {
        start(Map.of());
        HttpResponse<String> first = get("/public/app.js", Map.of());

        HttpResponse<String> byEtag = get("/public/app.js", Map.of("If-None-Match", header(first, "ETag")));
        HttpResponse<String> byDate = get("/public/app.js", Map.of("If-Modified-Since", header(first, "Last-Modified")));
        HttpResponse<String> otherEtag = get("/public/app.js", Map.of("If-None-Match", "\"something-else\""));

        assertEquals(304, byEtag.statusCode());
        assertEquals("", byEtag.body());
        assertEquals(header(first, "ETag"), header(byEtag, "ETag"));
        assertEquals(304, byDate.statusCode());
        assertEquals(200, otherEtag.statusCode());
    }

    @Test
    void a_range_request_gets_those_bytes() throws Exception {
        start(Map.of());

        HttpResponse<String> response = get("/public/app.js", Map.of("Range", "bytes=0-6", "Accept-Encoding", "gzip"));
        HttpResponse<String> unsatisfiable = get("/public/app.js", Map.of("Range", "bytes=5000-6000"));

        assertEquals(206, response.statusCode());
        assertEquals("console", response.body());
        assertEquals("bytes 0-6/22", header(response, "Content-Range"));
        assertNull(header(response, "Content-Encoding"));
        assertEquals(416, unsatisfiable.statusCode());
        assertTrue(unsatisfiable.body().startsWith("{\"error\":"), unsatisfiable.body());
    }

    @Test
    void a_missing_file_and_a_directory_without_index_are_json_not_found() throws Exception {
        start(Map.of());

        for (String path : new String[] { "/public/nothing.js", "/public/empty/", "/nothing.js", "/public/jetty-dir.css" }) {
            HttpResponse<String> response = get(path, Map.of());
            assertEquals(404, response.statusCode(), path);
            assertEquals("{\"error\":\"nothing is served at " + path + "\"}", response.body(), path);
        }
    }

    @Test
    void with_root_endpoint_type_api_only_the_files_path_serves_files() throws Exception {
        start(Map.of("rootEndpointType", "api"));

        assertEquals(404, get("/", Map.of()).statusCode());
        assertEquals(404, get("/app.js", Map.of()).statusCode());
        assertEquals(200, get("/public/app.js", Map.of()).statusCode());
    }

    @Test
    void actions_still_come_first() throws Exception {
        Files.createDirectories(directory.resolve("public/api"));
        Files.writeString(directory.resolve("public/api/echo"), "a file named like an action");
        start(Map.of());

        HttpResponse<String> response = get("/api/echo?message=hi", Map.of());

        assertEquals(200, response.statusCode());
        assertTrue(response.body().contains("\"message\":\"hi\""), response.body());
    }

    // ---- paths that try to leave the directories

    @Test
    void paths_leaving_the_directories_are_refused_in_the_catalogue_words() throws Exception {
        start(Map.of());

        for (String path : new String[] { "/public/%2e%2e/secret.txt", "/public/..%2fsecret.txt", "/public/%2E%2E/%2E%2E/secret.txt",
                "/../secret.txt", "/public/../../secret.txt", "/public/app.js%00.txt", "/public/%5c..%5csecret.txt" }) {
            RawHttp.Reply reply = RawHttp.exchange(port, "GET " + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n", null);
            assertTrue(reply.status() == 400 || reply.status() == 404, path + " -> " + reply.status());
            assertTrue(reply.body().startsWith("{\"error\":\"malformed request: ") || reply.body().startsWith("{\"error\":\"nothing is served at "),
                    path + " -> " + reply.body());
            assertTrue(!reply.body().contains("outside") && !reply.body().contains("Exception"), reply.body());
        }
        // Jetty resolves dot segments within the path: this one is /secret.txt, not in any static directory.
        assertEquals(404, RawHttp.exchange(port, "GET /public/../secret.txt HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n",
                null).status());
    }

    @Test
    void a_symbolic_link_is_not_followed_unless_allowed() throws Exception {
        Files.createDirectories(directory.resolve("public"));
        Files.createSymbolicLink(directory.resolve("public/linked.txt"), directory.resolve("secret.txt"));
        start(Map.of());

        HttpResponse<String> refused = get("/public/linked.txt", Map.of());

        assertEquals(404, refused.statusCode());
        assertTrue(refused.body().startsWith("{\"error\":\"nothing is served at"), refused.body());
        server.stop();
        server = null;

        start(Map.of("followSymlinks", true));
        HttpResponse<String> followed = get("/public/linked.txt", Map.of());
        assertEquals(200, followed.statusCode());
        assertEquals("outside the static directories", followed.body());
    }

    @Test
    void a_configuration_change_serves_the_new_directories() throws Exception {
        start(Map.of());
        assertEquals(200, get("/public/index.html", Map.of()).statusCode());

        server.apply(TestConfig.settings(Map.of("staticDirectories", new String[] { second.toString() })));

        assertEquals(404, get("/public/index.html", Map.of()).statusCode());
        assertEquals("console.log('second');\n", get("/public/app.js", Map.of()).body());
    }

    // ---- compression

    @Test
    void a_large_json_response_is_gzipped_for_a_client_that_accepts_it() throws Exception {
        start(Map.of());
        String message = "x".repeat(3000);

        HttpResponse<byte[]> compressed = getBytes("/api/echo?message=" + message, Map.of("Accept-Encoding", "gzip, deflate"));
        HttpResponse<byte[]> plain = getBytes("/api/echo?message=" + message, Map.of());

        assertEquals(200, compressed.statusCode());
        assertEquals("gzip", header(compressed, "Content-Encoding"));
        assertTrue(header(compressed, "Vary").toLowerCase().contains("accept-encoding"), header(compressed, "Vary"));
        String json = new String(gunzip(compressed.body()), StandardCharsets.UTF_8);
        assertTrue(json.contains("\"message\":\"" + message + "\""), json);
        assertTrue(compressed.body().length < plain.body().length / 4);
        assertNull(header(plain, "Content-Encoding"));
    }

    @Test
    void a_large_file_is_gzipped_and_its_etag_still_gives_304() throws Exception {
        start(Map.of());

        HttpResponse<byte[]> response = getBytes("/public/big.txt", Map.of("Accept-Encoding", "gzip"));

        assertEquals(200, response.statusCode());
        assertEquals("gzip", header(response, "Content-Encoding"));
        assertArrayEquals(Files.readAllBytes(first.resolve("big.txt")), gunzip(response.body()));
        HttpResponse<byte[]> again = getBytes("/public/big.txt", Map.of("Accept-Encoding", "gzip",
                "If-None-Match", header(response, "ETag")));
        assertEquals(304, again.statusCode());
    }

    @Test
    void responses_below_the_threshold_or_with_compression_off_are_not_compressed() throws Exception {
        start(Map.of());

        HttpResponse<byte[]> small = getBytes("/public/small.txt", Map.of("Accept-Encoding", "gzip"));
        HttpResponse<byte[]> smallJson = getBytes("/api/echo?message=hi", Map.of("Accept-Encoding", "gzip"));
        HttpResponse<byte[]> medium = getBytes("/public/medium.txt", Map.of("Accept-Encoding", "gzip"));
        assertNull(header(medium, "Content-Encoding"));
        assertNull(header(small, "Content-Encoding"));
        assertEquals("tiny", new String(small.body(), StandardCharsets.UTF_8));
        assertNull(header(smallJson, "Content-Encoding"));

        server.apply(TestConfig.settings(Map.of("staticDirectories", new String[] { first.toString() }, "compression", false)));
        HttpResponse<byte[]> off = getBytes("/public/big.txt", Map.of("Accept-Encoding", "gzip"));
        assertNull(header(off, "Content-Encoding"));
        assertEquals(Files.size(first.resolve("big.txt")), off.body().length);

        server.apply(TestConfig.settings(Map.of("staticDirectories", new String[] { first.toString() }, "compressionMinSize", 100L)));
        assertEquals("gzip", header(getBytes("/public/medium.txt", Map.of("Accept-Encoding", "gzip")), "Content-Encoding"));
    }

    @Test
    void a_gzip_request_body_is_decoded_and_the_body_limit_counts_the_decoded_bytes() throws Exception {
        start(Map.of("maxBodySize", 4096L));

        HttpResponse<String> decoded = post("/api/echo", gzip("{\"message\":\"zipped\"}"));
        HttpResponse<String> bomb = post("/api/echo", gzip("{\"message\":\"" + "a".repeat(1_000_000) + "\"}"));
        HttpResponse<String> notGzip = post("/api/echo", "{\"message\":1}".getBytes(StandardCharsets.UTF_8));

        assertEquals(200, decoded.statusCode(), decoded.body());
        assertTrue(decoded.body().contains("\"message\":\"zipped\""), decoded.body());
        assertEquals(413, bomb.statusCode(), bomb.body());
        assertEquals("{\"error\":\"request body is larger than the limit of 4096 bytes\"}", bomb.body());
        assertEquals(400, notGzip.statusCode(), notGzip.body());
        assertTrue(notGzip.body().startsWith("{\"error\":\"malformed request: "), notGzip.body());
        assertEquals(200, get("/api/echo?message=next", Map.of()).statusCode());
    }

    @Test
    void brotli_is_preferred_when_a_client_accepts_it_and_its_request_bodies_are_decoded_within_the_limit() throws Exception {
        start(Map.of("maxBodySize", 4096L));
        String message = "x".repeat(3000);

        HttpResponse<byte[]> brotli = getBytes("/api/echo?message=" + message, Map.of("Accept-Encoding", "gzip, deflate, br"));
        HttpResponse<byte[]> file = getBytes("/public/big.txt", Map.of("Accept-Encoding", "br"));
        HttpResponse<byte[]> deflateOnly = getBytes("/api/echo?message=" + message, Map.of("Accept-Encoding", "deflate"));
        HttpResponse<String> decoded = post("/api/echo", "br", brotli("{\"message\":\"squeezed\"}"));
        HttpResponse<String> bomb = post("/api/echo", "br", brotli("{\"message\":\"" + "a".repeat(1_000_000) + "\"}"));

        assertEquals("br", header(brotli, "Content-Encoding"));
        assertTrue(header(brotli, "Vary").toLowerCase().contains("accept-encoding"), header(brotli, "Vary"));
        assertTrue(new String(unbrotli(brotli.body()), StandardCharsets.UTF_8).contains("\"message\":\"" + message + "\""));
        assertEquals("br", header(file, "Content-Encoding"));
        assertArrayEquals(Files.readAllBytes(first.resolve("big.txt")), unbrotli(file.body()));
        assertNull(header(deflateOnly, "Content-Encoding"));
        assertEquals(200, decoded.statusCode(), decoded.body());
        assertTrue(decoded.body().contains("\"message\":\"squeezed\""), decoded.body());
        assertEquals(413, bomb.statusCode(), bomb.body());
        assertEquals("{\"error\":\"request body is larger than the limit of 4096 bytes\"}", bomb.body());
        assertEquals(200, get("/api/echo?message=next", Map.of()).statusCode());
    }

    @Test
    void the_clients_weights_choose_the_encoding_before_the_servers_preference() throws Exception {
        start(Map.of());
        String message = "x".repeat(3000);

        assertEquals("gzip", header(getBytes("/api/echo?message=" + message, Map.of("Accept-Encoding", "gzip;q=1.0, br;q=0.1")),
                "Content-Encoding"));
        assertEquals("gzip", header(getBytes("/api/echo?message=" + message, Map.of("Accept-Encoding", "br;q=0, gzip")),
                "Content-Encoding"));
        assertEquals("br", header(getBytes("/api/echo?message=" + message, Map.of("Accept-Encoding", "gzip;q=0.8, br;q=0.9")),
                "Content-Encoding"));
        assertEquals("br", header(getBytes("/api/echo?message=" + message, Map.of("Accept-Encoding", "gzip;q=0.5, br;q=0.5")),
                "Content-Encoding"));
        assertNull(header(getBytes("/api/echo?message=" + message, Map.of("Accept-Encoding", "br;q=0, gzip;q=0")),
                "Content-Encoding"));
        assertNull(header(getBytes("/api/echo?message=" + message, Map.of("Accept-Encoding", "identity;q=1, *;q=0")),
                "Content-Encoding"));
    }

    // ---- helpers

    private HttpResponse<String> post(String path, byte[] gzipBody) throws Exception {
        return post(path, "gzip", gzipBody);
    }

    private HttpResponse<String> post(String path, String encoding, byte[] body) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Content-Type", "application/json").header("Content-Encoding", encoding)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static byte[] brotli(String text) throws IOException {
        Brotli4jLoader.ensureAvailability();
        return Encoder.compress(text.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] unbrotli(byte[] body) throws IOException {
        Brotli4jLoader.ensureAvailability();
        DirectDecompress decoded = Decoder.decompress(body);
        assertEquals(DecoderJNI.Status.DONE, decoded.getResultStatus());
        return decoded.getDecompressedData();
    }

    private static byte[] gzip(String text) throws IOException {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (java.util.zip.GZIPOutputStream out = new java.util.zip.GZIPOutputStream(bytes)) {
            out.write(text.getBytes(StandardCharsets.UTF_8));
        }
        return bytes.toByteArray();
    }

    private HttpResponse<String> get(String path, Map<String, String> headers) throws Exception {
        return client.send(request(path, headers), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<byte[]> getBytes(String path, Map<String, String> headers) throws Exception {
        return client.send(request(path, headers), HttpResponse.BodyHandlers.ofByteArray());
    }

    private HttpRequest request(String path, Map<String, String> headers) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).GET();
        headers.forEach(builder::header);
        return builder.build();
    }

    private static String header(HttpResponse<?> response, String name) {
        return response.headers().firstValue(name).orElse(null);
    }

    private static byte[] gunzip(byte[] body) throws IOException {
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(body))) {
            return in.readAllBytes();
        }
    }
}
