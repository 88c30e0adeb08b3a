package io.herald.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What a browser and a form expect of the web server, from the built distribution over real sockets (issue 13): CORS
 * preflights from an allowed and from a refused origin, JSONP, bracket params, {@code /api/ECHO}, and uploads: a
 * small file reaching the example's {@code upload} action, a 20 MB upload under a 10 MB limit refused with 413, the
 * upload directory empty afterwards.
 */
class WebFeaturesIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ALLOWED = "https://app.example.com";
    private static final String BOUNDARY = "herald-it-7MA4YWxkTrZu0gW";
    private static final long LIMIT = 10L * 1024 * 1024;

    private static Path home;
    private static Path uploads;
    private static HeraldProcess herald;

    @BeforeAll
    static void start() throws Exception {
        home = HeraldProcess.newHome(HeraldProcess.EXAMPLE_JAR);
        uploads = home.resolve("uploads");
        Path web = home.resolve("config/io.herald.server.web.cfg");
        Files.writeString(web, Files.readString(web) + "\ncorsAllowedOrigins = " + ALLOWED + "\nuploadDir = " + uploads
                + "\nmaxUploadSize = " + LIMIT + "\nmaxUploadFileSize = " + LIMIT + "\n");
        herald = HeraldProcess.startIn(home, Map.of("HERALD_TITLE", "web-features"));
        herald.awaitStarted(Duration.ofSeconds(60));
        herald.awaitStatus("/api/echo?message=up", 200, Duration.ofSeconds(30));
    }

    @AfterAll
    static void stop() throws Exception {
        if (herald != null) {
            herald.close();
        }
    }

    @Test
    void a_preflight_from_an_allowed_origin_is_answered_204_and_from_a_refused_one_403() throws Exception {
        HttpResponse<String> allowed = preflight(ALLOWED);
        assertEquals(204, allowed.statusCode(), allowed.body());
        assertEquals(ALLOWED, allowed.headers().firstValue("Access-Control-Allow-Origin").orElse(null));
        assertTrue(allowed.headers().firstValue("Access-Control-Allow-Methods").orElse("").contains("POST"));
        assertTrue(String.join(",", allowed.headers().allValues("Vary")).contains("Origin"));

        HttpResponse<String> refused = preflight("https://evil.example.net");
        assertEquals(403, refused.statusCode());
        assertFalse(refused.headers().firstValue("Access-Control-Allow-Origin").isPresent());
        assertEquals("origin https://evil.example.net is not allowed", JSON.readTree(refused.body()).path("error").asText());

        HttpResponse<String> call = herald.send(HttpRequest.newBuilder(herald.uri("/api/echo?message=hi"))
                .header("Origin", ALLOWED).GET());
        assertEquals(200, call.statusCode());
        assertEquals(ALLOWED, call.headers().firstValue("Access-Control-Allow-Origin").orElse(null));
    }

    @Test
    void a_callback_param_answers_jsonp() throws Exception {
        HttpResponse<String> response = herald.getAnonymous("/api/echo?message=hi&callback=app.done");
        assertEquals(200, response.statusCode());
        assertEquals("application/javascript; charset=utf-8", response.headers().firstValue("Content-Type").orElse(null));
        assertEquals("nosniff", response.headers().firstValue("X-Content-Type-Options").orElse(null));
        String text = response.body();
        assertTrue(text.startsWith("/**/ app.done(") && text.endsWith(");"), text);
        assertEquals("hi", JSON.readTree(text.substring("/**/ app.done(".length(), text.length() - 2)).path("message").asText());

        HttpResponse<String> bad = herald.getAnonymous("/api/echo?message=hi&callback=alert%281%29");
        assertEquals(400, bad.statusCode());
        assertTrue(JSON.readTree(bad.body()).path("error").asText().startsWith("malformed request: callback must be"));
    }

    @Test
    void bracket_params_arrive_nested_and_the_action_name_ignores_case() throws Exception {
        HttpResponse<String> nested = herald.getAnonymous("/api/echo?message%5Btext%5D=hi&message[tags][]=a&message[tags][]=b");
        assertEquals(200, nested.statusCode(), nested.body());
        assertEquals(JSON.readTree("{\"text\":\"hi\",\"tags\":[\"a\",\"b\"]}"), JSON.readTree(nested.body()).path("message"));

        for (String path : List.of("/api/ECHO?message=x", "/api/Echo?message=x")) {
            HttpResponse<String> response = herald.getAnonymous(path);
            assertEquals(200, response.statusCode(), path + ": " + response.body());
            assertEquals("x", JSON.readTree(response.body()).path("message").asText());
        }
        assertEquals(200, herald.getAnonymous("/api?action=echo&message=x").statusCode());
    }

    @Test
    void a_small_upload_reaches_the_action_and_is_deleted_afterwards() throws Exception {
        byte[] content = "a small file\n".getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> response = herald.send(HttpRequest.newBuilder(herald.uri("/api/upload"))
                .header("Content-Type", "multipart/form-data; boundary=" + BOUNDARY)
                .POST(HttpRequest.BodyPublishers.ofByteArray(form("notes.txt", "text/plain", content))));

        assertEquals(200, response.statusCode(), response.body());
        JsonNode body = JSON.readTree(response.body());
        assertEquals("notes.txt", body.path("fileName").asText());
        assertEquals(content.length, body.path("size").asLong());
        assertEquals("text/plain", body.path("contentType").asText());
        assertEquals(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content)), body.path("sha256").asText());
        assertUploadsEmpty();
    }

    @Test
    void a_20_mb_upload_under_a_10_mb_limit_gets_413_and_leaves_the_upload_directory_empty() throws Exception {
        byte[] head = head("big.bin", "application/octet-stream");
        byte[] tail = ("\r\n--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.US_ASCII);
        long size = 20L * 1024 * 1024;
        // Chunked, without a length: the server refuses it while it streams to disk, not from a header.
        HttpResponse<String> response = herald.send(HttpRequest.newBuilder(herald.uri("/api/upload"))
                .timeout(Duration.ofSeconds(60))
                .header("Content-Type", "multipart/form-data; boundary=" + BOUNDARY)
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new SequenceInputStream(Collections.enumeration(List.of(
                        new ByteArrayInputStream(head), new Zeros(size), new ByteArrayInputStream(tail)))))));

        assertEquals(413, response.statusCode(), response.body());
        assertEquals("request body is larger than the limit of " + LIMIT + " bytes",
                JSON.readTree(response.body()).path("error").asText());
        assertUploadsEmpty();
        assertEquals(200, herald.getAnonymous("/api/echo?message=still").statusCode());
    }

    private static HttpResponse<String> preflight(String origin) throws Exception {
        return herald.send(HttpRequest.newBuilder(herald.uri("/api/echo")).header("Origin", origin)
                .header("Access-Control-Request-Method", "POST").header("Access-Control-Request-Headers", "content-type")
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody()));
    }

    private static void assertUploadsEmpty() throws Exception {
        if (!Files.isDirectory(uploads)) {
            return;
        }
        try (Stream<Path> left = Files.list(uploads)) {
            assertEquals(List.of(), left.toList(), "the upload directory keeps nothing");
        }
    }

    private static byte[] head(String fileName, String contentType) {
        return ("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + fileName
                + "\"\r\nContent-Type: " + contentType + "\r\n\r\n").getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] form(String fileName, String contentType, byte[] content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(head(fileName, contentType));
        out.writeBytes(content);
        out.writeBytes(("\r\n--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }

    /** {@code size} zero bytes, never held in memory. */
    private static final class Zeros extends InputStream {

        private long left;

        Zeros(long size) {
            this.left = size;
        }

        @Override
        public int read() {
            if (left <= 0) {
                return -1;
            }
            left--;
            return 0;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (left <= 0) {
                return -1;
            }
            int n = (int) Math.min(len, left);
            java.util.Arrays.fill(b, off, off + n, (byte) 0);
            left -= n;
            return n;
        }
    }
}
