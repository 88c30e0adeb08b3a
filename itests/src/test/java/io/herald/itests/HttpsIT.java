package io.herald.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.herald.testing.tls.TestCertificates;

/**
 * HTTPS from the built distribution: PEM files named by HERALD_TLS_CERT and HERALD_TLS_KEY serve actions with HTTP/2
 * negotiated over ALPN (the Jetty ALPN and HTTP/2 bundles resolve and find each other inside OSGi, without SPI Fly),
 * HTTP/1.1 for clients without it, Strict-Transport-Security in production; a key that does not belong to the
 * certificate stops the start with one line naming HERALD_TLS_KEY.
 */
class HttpsIT {

    private static final Duration START = Duration.ofSeconds(60);

    private static Path keys;
    private static TestCertificates rsa;
    private static TestCertificates ec;

    @BeforeAll
    static void certificates() throws IOException {
        keys = Files.createTempDirectory("herald-https-it-");
        rsa = TestCertificates.rsa(keys.resolve("rsa"));
        ec = TestCertificates.ec(keys.resolve("ec"));
    }

    @AfterAll
    static void remove() throws IOException {
        HeraldProcess.deleteTree(keys);
    }

    @Test
    void https_answers_actions_over_http2_with_hsts_in_production() throws Exception {
        try (HeraldProcess herald = HeraldProcess.start(Map.of("HERALD_TITLE", "https-it", "HERALD_ENV", "production",
                "HERALD_SERVER_TOKEN", "https-it-" + java.util.UUID.randomUUID(), "HERALD_TLS_CERT", rsa.certificatePem().toString(), "HERALD_TLS_KEY", rsa.traditionalKeyPem().toString()))) {
            HttpClient h2 = HttpClient.newBuilder().sslContext(rsa.clientContext()).version(HttpClient.Version.HTTP_2)
                    .connectTimeout(Duration.ofSeconds(2)).build();
            HttpResponse<String> status = awaitHttps(herald, h2, "/api/status");

            assertEquals(200, status.statusCode(), status.body());
            assertEquals(HttpClient.Version.HTTP_2, status.version(), "ALPN chose HTTP/2");
            assertTrue(status.body().contains("\"nodeStatus\"") || status.body().contains("\"id\""), status.body());
            assertEquals(List.of("max-age=31536000"), status.headers().allValues("strict-transport-security"));

            HttpClient h1 = HttpClient.newBuilder().sslContext(rsa.clientContext()).version(HttpClient.Version.HTTP_1_1).build();
            HttpResponse<String> overHttp1 = h1.send(request(herald, "/api/status"), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, overHttp1.statusCode());
            assertEquals(HttpClient.Version.HTTP_1_1, overHttp1.version());

            HttpResponse<String> unknown = h2.send(request(herald, "/api/noSuchAction"), HttpResponse.BodyHandlers.ofString());
            assertEquals(404, unknown.statusCode(), unknown.body());
            assertEquals(List.of("max-age=31536000"), unknown.headers().allValues("strict-transport-security"));

            // In production INFO lines go to the log file only (log/<title>.log); warnings reach the console too.
            String started = awaitLogLine(herald.home.resolve("log/https-it.log"), "web server listening on https://0.0.0.0:"
                    + herald.port);
            assertTrue(started.contains("HTTPS with HTTP/2 and HTTP/1.1"), started);
            assertTrue(started.contains("Strict-Transport-Security max-age=31536000"), started);
            assertFalse(herald.output().contains("HTTP/2 is not available"), herald.output());
        }
    }

    @Test
    void a_key_of_another_certificate_stops_the_start_with_one_line_naming_the_variable() throws Exception {
        Path home = HeraldProcess.newHome();
        Path out = Files.createTempFile("herald-out-", ".log");
        Path err = Files.createTempFile("herald-err-", ".log");
        try {
            ProcessBuilder builder = new ProcessBuilder(HeraldProcess.HERALD.toString(), "start")
                    .redirectOutput(out.toFile()).redirectError(err.toFile());
            builder.environment().clear();
            builder.environment().putAll(HeraldProcess.environment(home, Map.of("HERALD_TITLE", "https-bad-key",
                    "PORT", Integer.toString(HeraldProcess.freePort()), "HERALD_TLS_CERT", rsa.certificatePem().toString(),
                    "HERALD_TLS_KEY", ec.pkcs8KeyPem().toString())));
            Process process = builder.start();
            assertTrue(process.waitFor(60, java.util.concurrent.TimeUnit.SECONDS), "the node exits");
            String stdout = Files.readString(out);
            String stderr = Files.readString(err);

            assertEquals(1, process.exitValue(), stdout + stderr);
            List<String> lines = stderr.lines().toList();
            assertEquals(1, lines.size(), "one line on stderr: " + stderr);
            assertTrue(lines.get(0).startsWith("herald: config error: HERALD_TLS_KEY=" + ec.pkcs8KeyPem()), lines.get(0));
            assertTrue(lines.get(0).contains("(io.herald.server.web tlsPrivateKey)"), lines.get(0));
            assertTrue(lines.get(0).contains("does not belong to the certificate in " + rsa.certificatePem()), lines.get(0));
            assertFalse(stdout.contains("\tat ") || stderr.contains("\tat "), "no stack trace: " + stdout + stderr);
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
            HeraldProcess.deleteTree(home);
        }
    }

    /** The first line of {@code log} containing {@code text}, waiting for the file's background writer. */
    private static String awaitLogLine(Path log, String text) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            if (Files.exists(log)) {
                for (String line : Files.readAllLines(log)) {
                    if (line.contains(text)) {
                        return line;
                    }
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no line with \"" + text + "\" in " + log + ":\n"
                + (Files.exists(log) ? Files.readString(log) : "(no file)"));
    }

    private static HttpRequest request(HeraldProcess herald, String path) {
        return HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + herald.port + path)).timeout(Duration.ofSeconds(10))
                .header("X-API-Key", HeraldProcess.ADMIN_SECRET).build();
    }

    /** Polls {@code path} over HTTPS until it answers 200 (the port opens once the node is ready). */
    private static HttpResponse<String> awaitHttps(HeraldProcess herald, HttpClient client, String path) throws Exception {
        long deadline = System.nanoTime() + START.toNanos();
        while (System.nanoTime() < deadline) {
            if (!herald.isAlive()) {
                throw new AssertionError("herald exited:\n" + herald.output());
            }
            try {
                HttpResponse<String> response = client.send(request(herald, path), HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200) {
                    return response;
                }
            } catch (IOException notYet) {
                // The port is not open yet.
            }
            Thread.sleep(50);
        }
        throw new AssertionError("herald did not answer over HTTPS on port " + herald.port + ":\n" + herald.output());
    }
}
