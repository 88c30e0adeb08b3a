package io.herald.itests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.zip.GZIPInputStream;

import com.aayushatharva.brotli4j.Brotli4jLoader;
import com.aayushatharva.brotli4j.decoder.Decoder;
import com.aayushatharva.brotli4j.decoder.DecoderJNI;
import com.aayushatharva.brotli4j.decoder.DirectDecompress;

import org.junit.jupiter.api.Test;

/**
 * Static files and compression from the built distribution over real sockets: the shipped {@code public/index.html} at
 * {@code /} and {@code /public/}, 304 on a repeated request, a {@code Range} request, two static directories in order
 * ({@code HERALD_PUBLIC_DIRS}), traversal attempts refused in the catalogue's words, gzip and brotli bodies that decode (JSON and a
 * file), nothing compressed below the threshold, and the WebSocket bundle's {@code /public/herald-client.js} still served.
 */
class StaticFilesIT {

    private static final Duration START = Duration.ofSeconds(60);

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void files_are_served_cached_ranged_compressed_and_kept_inside_their_directories() throws Exception {
        Path home = HeraldProcess.newHome();
        HeraldProcess.copyTree(HeraldProcess.DISTRIBUTION.resolve("public"), home.resolve("public"));
        Path extra = Files.createDirectories(home.resolve("assets"));
        Files.writeString(home.resolve("public/app.js"), "console.log('public');\n");
        Files.writeString(extra.resolve("app.js"), "console.log('assets');\n");
        Files.writeString(extra.resolve("style.css"), "body { margin: 0; }\n");
        Files.writeString(extra.resolve("big.txt"), "static files, compressed when large enough\n".repeat(200));
        Files.writeString(home.resolve("secret.txt"), "outside every static directory");
        String shippedIndex = Files.readString(HeraldProcess.DISTRIBUTION.resolve("public/index.html"));

        try (HeraldProcess herald = HeraldProcess.startIn(home, Map.of("HERALD_TITLE", "static-files",
                "HERALD_PUBLIC_DIRS", "public, assets"))) {
            herald.awaitStarted(START);

            // The shipped welcome page, at the root and under /public.
            HttpResponse<String> root = get(herald, "/", Map.of());
            assertEquals(200, root.statusCode());
            assertEquals(shippedIndex, root.body());
            assertTrue(header(root, "Content-Type").startsWith("text/html"), header(root, "Content-Type"));
            assertEquals("max-age=60, must-revalidate, public", header(root, "Cache-Control"));
            assertEquals(shippedIndex, get(herald, "/public/", Map.of()).body());

            // A repeated request: 304 without a body, by ETag and by date.
            String etag = header(root, "ETag");
            assertNotNull(etag);
            HttpResponse<String> again = get(herald, "/public/index.html", Map.of("If-None-Match", etag));
            assertEquals(304, again.statusCode());
            assertEquals("", again.body());
            assertEquals(304, get(herald, "/public/index.html",
                    Map.of("If-Modified-Since", header(root, "Last-Modified"))).statusCode());

            // Directories in order: public/ wins, assets/ fills in.
            assertEquals("console.log('public');\n", get(herald, "/public/app.js", Map.of()).body());
            HttpResponse<String> css = get(herald, "/public/style.css", Map.of());
            assertEquals(200, css.statusCode());
            assertTrue(header(css, "Content-Type").startsWith("text/css"));

            // A range.
            HttpResponse<String> range = get(herald, "/public/app.js", Map.of("Range", "bytes=8-10"));
            assertEquals(206, range.statusCode());
            assertEquals("log", range.body());
            assertEquals("bytes 8-10/23", header(range, "Content-Range"));

            // Missing files are the JSON NOT_FOUND.
            HttpResponse<String> missing = get(herald, "/public/missing.js", Map.of());
            assertEquals(404, missing.statusCode());
            assertEquals("{\"error\":\"nothing is served at /public/missing.js\"}", missing.body());

            // Paths that try to leave the directories.
            for (String path : new String[] { "/public/%2e%2e/secret.txt", "/public/..%2fsecret.txt", "/../secret.txt",
                    "/public/../../secret.txt", "/public/app.js%00.txt", "/public/%5c..%5csecret.txt",
                    "/public/%2e%2e/config/io.herald.core.cfg" }) {
                String reply = raw(herald.port, "GET " + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
                int status = Integer.parseInt(reply.substring(9, 12));
                assertTrue(status == 400 || status == 404, path + " -> " + reply);
                String body = reply.substring(reply.indexOf("\r\n\r\n") + 4);
                assertTrue(body.startsWith("{\"error\":\"malformed request: ") || body.startsWith("{\"error\":\"nothing is served at "),
                        path + " -> " + body);
                assertFalse(body.contains("outside every") || body.contains("serverToken") || body.contains("Exception"), body);
            }
            // Jetty resolves the dot segment inside the path: this is /secret.txt, in no static directory.
            String resolved = raw(herald.port, "GET /public/../secret.txt HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
            assertTrue(resolved.startsWith("HTTP/1.1 404 "), resolved);

            // gzip: a large file and a large JSON response decode; small ones are sent as they are.
            HttpResponse<byte[]> big = getBytes(herald, "/public/big.txt", Map.of("Accept-Encoding", "gzip"));
            assertEquals("gzip", header(big, "Content-Encoding"));
            assertTrue(header(big, "Vary").toLowerCase().contains("accept-encoding"));
            assertArrayEquals(Files.readAllBytes(extra.resolve("big.txt")), gunzip(big.body()));
            HttpResponse<byte[]> swagger = getBytes(herald, "/api/swagger", Map.of("Accept-Encoding", "gzip"));
            assertEquals(200, swagger.statusCode());
            assertEquals("gzip", header(swagger, "Content-Encoding"));
            String json = new String(gunzip(swagger.body()), StandardCharsets.UTF_8);
            assertTrue(json.startsWith("{") && json.contains("\"openapi\""), json);
            HttpResponse<byte[]> small = getBytes(herald, "/public/app.js", Map.of("Accept-Encoding", "gzip"));
            assertNull(header(small, "Content-Encoding"));
            assertEquals("console.log('public');\n", new String(small.body(), StandardCharsets.UTF_8));
            HttpResponse<byte[]> smallJson = getBytes(herald, "/api/status", Map.of("Accept-Encoding", "gzip"));
            assertNull(header(smallJson, "Content-Encoding"));

            // brotli, preferred when a browser accepts both; a client that asks only for deflate gets the body as it is.
            HttpResponse<byte[]> bigBr = getBytes(herald, "/public/big.txt", Map.of("Accept-Encoding", "gzip, deflate, br"));
            assertEquals("br", header(bigBr, "Content-Encoding"));
            assertArrayEquals(Files.readAllBytes(extra.resolve("big.txt")), unbrotli(bigBr.body()));
            HttpResponse<byte[]> swaggerBr = getBytes(herald, "/api/swagger", Map.of("Accept-Encoding", "br"));
            assertEquals("br", header(swaggerBr, "Content-Encoding"));
            assertTrue(header(swaggerBr, "Vary").toLowerCase().contains("accept-encoding"));
            assertEquals(json, new String(unbrotli(swaggerBr.body()), StandardCharsets.UTF_8));
            HttpResponse<byte[]> preferGzip = getBytes(herald, "/api/swagger", Map.of("Accept-Encoding", "br;q=0.5, gzip"));
            assertEquals(json, new String(gunzip(preferGzip.body()), StandardCharsets.UTF_8));
            assertEquals("gzip", header(preferGzip, "Content-Encoding"));
            HttpResponse<byte[]> deflateOnly = getBytes(herald, "/api/swagger", Map.of("Accept-Encoding", "deflate"));
            assertNull(header(deflateOnly, "Content-Encoding"));
            assertEquals(json, new String(deflateOnly.body(), StandardCharsets.UTF_8));

            // The WebSocket bundle's client script is still there, compressed too.
            HttpResponse<byte[]> client = getBytes(herald, "/public/herald-client.js", Map.of("Accept-Encoding", "gzip"));
            assertEquals(200, client.statusCode());
            assertTrue(new String(gunzip(client.body()), StandardCharsets.UTF_8).contains("herald-client.js"));
        }
    }

    private HttpResponse<String> get(HeraldProcess herald, String path, Map<String, String> headers) throws Exception {
        return http.send(request(herald, path, headers), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<byte[]> getBytes(HeraldProcess herald, String path, Map<String, String> headers) throws Exception {
        return http.send(request(herald, path, headers), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static HttpRequest request(HeraldProcess herald, String path, Map<String, String> headers) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(herald.uri(path)).timeout(Duration.ofSeconds(10)).GET();
        headers.forEach(builder::header);
        return builder.build();
    }

    private static String header(HttpResponse<?> response, String name) {
        return response.headers().firstValue(name).orElse(null);
    }

    /** brotli4j's decoder, the library the server's encoder runs on (its native library, loaded by the test JVM). */
    private static byte[] unbrotli(byte[] body) throws IOException {
        Brotli4jLoader.ensureAvailability();
        DirectDecompress decoded = Decoder.decompress(body);
        assertEquals(DecoderJNI.Status.DONE, decoded.getResultStatus());
        return decoded.getDecompressedData();
    }

    private static byte[] gunzip(byte[] body) throws IOException {
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(body))) {
            return in.readAllBytes();
        }
    }

    /** One request as written, for paths java.net.http would not send as they are; reads until the server closes. */
    private static String raw(int port, String request) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            ByteArrayOutputStream received = new ByteArrayOutputStream();
            socket.getInputStream().transferTo(received);
            return received.toString(StandardCharsets.UTF_8);
        }
    }
}
