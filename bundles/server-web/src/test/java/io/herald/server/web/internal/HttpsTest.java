package io.herald.server.web.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.Certificate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.service.cm.ConfigurationException;

import io.herald.api.spi.Messages;
import io.herald.testing.tls.TestCertificates;

/**
 * HTTPS over real sockets: keys from PEM files in each form and from a key store, HTTP/2 negotiated by ALPN with
 * HTTP/1.1 for clients without it, h2c, HSTS, keys replaced while the server runs, and one clear error per bad file.
 */
class HttpsTest {

    @TempDir
    static Path keys;

    private static TestCertificates rsa;
    private static TestCertificates ec;

    private final List<WebServer> servers = new java.util.ArrayList<>();

    @BeforeAll
    static void certificates() {
        rsa = TestCertificates.rsa(keys.resolve("rsa"));
        ec = TestCertificates.ec(keys.resolve("ec"));
    }

    @AfterEach
    void stop() {
        servers.forEach(WebServer::stop);
    }

    private WebServer start(Map<String, ?> config, boolean production) {
        WebServer server = new WebServer(TestConfig.settings(config, production), TestRunner::new, production
                ? TestIdentity.production() : TestIdentity.development(), Messages::defaults);
        server.start();
        servers.add(server);
        return server;
    }

    private static Map<String, Object> pem(TestCertificates certificates, Path key) {
        Map<String, Object> config = new HashMap<>();
        config.put("tlsCertificate", certificates.certificatePem().toString());
        config.put("tlsPrivateKey", key.toString());
        return config;
    }

    private static HttpClient client(SSLContext context, HttpClient.Version version) {
        return HttpClient.newBuilder().sslContext(context).version(version).build();
    }

    private static HttpResponse<String> get(HttpClient client, String url) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void pem_files_serve_actions_over_https_with_http2_negotiated_and_http1_for_clients_without_it() throws Exception {
        WebServer server = start(pem(rsa, rsa.pkcs8KeyPem()), false);
        String url = "https://127.0.0.1:" + server.port() + "/api/echo?message=hi";

        HttpResponse<String> h2 = get(client(rsa.clientContext(), HttpClient.Version.HTTP_2), url);
        assertEquals(200, h2.statusCode(), h2.body());
        assertEquals(HttpClient.Version.HTTP_2, h2.version());
        assertTrue(h2.body().contains("\"message\":\"hi\""), h2.body());

        HttpResponse<String> h1 = get(client(rsa.clientContext(), HttpClient.Version.HTTP_1_1), url);
        assertEquals(200, h1.statusCode(), h1.body());
        assertEquals(HttpClient.Version.HTTP_1_1, h1.version());
    }

    @Test
    void over_http2_a_body_over_the_limit_is_413_and_the_connection_carries_on() throws Exception {
        Map<String, Object> config = pem(rsa, rsa.pkcs8KeyPem());
        config.put("maxBodySize", 1024L);
        WebServer server = start(config, false);
        HttpClient client = client(rsa.clientContext(), HttpClient.Version.HTTP_2);
        String url = "https://127.0.0.1:" + server.port() + "/api/echo";

        HttpResponse<String> refused = client.send(HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"message\":\"" + "x".repeat(100_000) + "\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(413, refused.statusCode(), refused.body());
        assertEquals(HttpClient.Version.HTTP_2, refused.version());
        assertTrue(refused.body().contains("\"error\""), refused.body());

        HttpResponse<String> next = get(client, url + "?message=after");
        assertEquals(200, next.statusCode(), next.body());
        assertTrue(next.body().contains("\"message\":\"after\""), next.body());
    }

    @Test
    void the_request_is_secure_and_the_fingerprint_cookie_says_so() throws Exception {
        WebServer server = start(pem(rsa, rsa.pkcs8KeyPem()), false);
        HttpResponse<String> response = get(client(rsa.clientContext(), HttpClient.Version.HTTP_2),
                "https://127.0.0.1:" + server.port() + "/api/metadata");
        assertEquals(200, response.statusCode(), response.body());
        assertTrue(response.body().contains("\"secure\":true"), response.body());
        assertTrue(response.headers().allValues("set-cookie").stream().anyMatch(c -> c.startsWith("sessionID=")
                && c.contains("; Secure")), response.headers().allValues("set-cookie").toString());
    }

    @Test
    void openssl_traditional_keys_pkcs1_rsa_and_sec1_ec_are_read() throws Exception {
        WebServer rsaServer = start(pem(rsa, rsa.traditionalKeyPem()), false);
        WebServer ecServer = start(pem(ec, ec.traditionalKeyPem()), false);
        assertTrue(Files.readString(rsa.traditionalKeyPem()).startsWith("-----BEGIN RSA PRIVATE KEY-----"));
        assertTrue(Files.readString(ec.traditionalKeyPem()).startsWith("-----BEGIN EC PRIVATE KEY-----"));

        assertEquals(200, get(client(rsa.clientContext(), HttpClient.Version.HTTP_2),
                "https://127.0.0.1:" + rsaServer.port() + "/api/echo").statusCode());
        HttpResponse<String> response = get(client(ec.clientContext(), HttpClient.Version.HTTP_2),
                "https://127.0.0.1:" + ecServer.port() + "/api/echo");
        assertEquals(200, response.statusCode());
        assertEquals(HttpClient.Version.HTTP_2, response.version());
    }

    @Test
    void a_key_store_with_its_password_serves_https() throws Exception {
        WebServer server = start(Map.of("tlsKeyStore", ec.keyStore().toString(), "_tlsKeyStorePassword",
                TestCertificates.PASSWORD), false);
        HttpResponse<String> response = get(client(ec.clientContext(), HttpClient.Version.HTTP_2),
                "https://127.0.0.1:" + server.port() + "/api/echo");
        assertEquals(200, response.statusCode());
        assertEquals(HttpClient.Version.HTTP_2, response.version());
    }

    @Test
    void http2_false_offers_http1_only() throws Exception {
        Map<String, Object> config = pem(rsa, rsa.pkcs8KeyPem());
        config.put("http2", false);
        WebServer server = start(config, false);
        HttpResponse<String> response = get(client(rsa.clientContext(), HttpClient.Version.HTTP_2),
                "https://127.0.0.1:" + server.port() + "/api/echo");
        assertEquals(200, response.statusCode());
        assertEquals(HttpClient.Version.HTTP_1_1, response.version());
    }

    @Test
    void a_plain_http_client_on_the_https_port_gets_no_answer() throws Exception {
        WebServer server = start(pem(rsa, rsa.pkcs8KeyPem()), false);
        assertThrows(java.io.IOException.class, () -> HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + server.port() + "/api/echo")).build(), HttpResponse.BodyHandlers.ofString()));
    }

    @Test
    void h2c_serves_http2_in_clear_text_beside_http1() throws Exception {
        WebServer server = start(Map.of("h2c", true), false);
        String url = "http://127.0.0.1:" + server.port() + "/api/echo?message=clear";
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).build();
        // The JDK client asks for h2c with an Upgrade header on its first request, then uses HTTP/2 on the connection.
        HttpResponse<String> first = get(client, url);
        assertEquals(200, first.statusCode(), first.body());
        HttpResponse<String> second = get(client, url);
        assertEquals(200, second.statusCode(), second.body());
        assertEquals(HttpClient.Version.HTTP_2, second.version());
        assertEquals(HttpClient.Version.HTTP_1_1, get(HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build(),
                url).version());

        WebServer plain = start(Map.of(), false);
        HttpResponse<String> withoutH2c = get(HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).build(),
                "http://127.0.0.1:" + plain.port() + "/api/echo");
        assertEquals(200, withoutH2c.statusCode());
        assertEquals(HttpClient.Version.HTTP_1_1, withoutH2c.version());
    }

    @Test
    void hsts_is_sent_over_https_in_production_only_unless_configured() throws Exception {
        WebServer production = start(pem(rsa, rsa.pkcs8KeyPem()), true);
        HttpResponse<String> response = get(client(rsa.clientContext(), HttpClient.Version.HTTP_2),
                "https://127.0.0.1:" + production.port() + "/api/echo");
        assertEquals(List.of("max-age=31536000"), response.headers().allValues("strict-transport-security"));
        // Also on the answers of the error boundary.
        HttpResponse<String> notFound = get(client(rsa.clientContext(), HttpClient.Version.HTTP_1_1),
                "https://127.0.0.1:" + production.port() + "/nowhere");
        assertEquals(404, notFound.statusCode());
        assertEquals(List.of("max-age=31536000"), notFound.headers().allValues("strict-transport-security"));

        WebServer development = start(pem(rsa, rsa.pkcs8KeyPem()), false);
        assertFalse(get(client(rsa.clientContext(), HttpClient.Version.HTTP_2), "https://127.0.0.1:" + development.port()
                + "/api/echo").headers().firstValue("strict-transport-security").isPresent());

        Map<String, Object> config = pem(rsa, rsa.pkcs8KeyPem());
        config.put("hsts", "true");
        config.put("hstsMaxAge", 600L);
        config.put("hstsIncludeSubDomains", true);
        WebServer configured = start(config, false);
        assertEquals(List.of("max-age=600; includeSubDomains"), get(client(rsa.clientContext(), HttpClient.Version.HTTP_2),
                "https://127.0.0.1:" + configured.port() + "/api/echo").headers().allValues("strict-transport-security"));

        WebServer plain = start(Map.of("hsts", "true"), true);
        assertFalse(get(HttpClient.newHttpClient(), "http://127.0.0.1:" + plain.port() + "/api/echo").headers()
                .firstValue("strict-transport-security").isPresent(), "no HSTS over plain HTTP (RFC 6797 7.2)");
    }

    @Test
    void an_error_answer_keeps_both_hsts_and_the_cors_headers() throws Exception {
        Map<String, Object> config = pem(rsa, rsa.pkcs8KeyPem());
        config.put("corsAllowedOrigins", new String[] { "https://app.example.com" });
        WebServer production = start(config, true);
        HttpResponse<String> refused = client(rsa.clientContext(), HttpClient.Version.HTTP_1_1).send(HttpRequest
                .newBuilder(URI.create("https://127.0.0.1:" + production.port() + "/api/echo?" + "x".repeat(5000)))
                .header("Origin", "https://app.example.com").build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(414, refused.statusCode(), refused.body());
        assertEquals(List.of("max-age=31536000"), refused.headers().allValues("strict-transport-security"));
        assertEquals(List.of("https://app.example.com"), refused.headers().allValues("access-control-allow-origin"));
    }

    @Test
    void over_https_slow_headers_are_closed_after_the_header_timeout() throws Exception {
        Map<String, Object> config = pem(rsa, rsa.pkcs8KeyPem());
        config.put("requestHeaderTimeout", 300L);
        WebServer server = start(config, false);
        try (SSLSocket socket = (SSLSocket) rsa.clientContext().getSocketFactory().createSocket("127.0.0.1", server.port())) {
            // No ALPN offered: HTTP/1.1, the protocol whose headers the deadline watches.
            socket.startHandshake();
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write("GET /api/echo HTTP/1.1\r\nHost: x\r\n".getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            long start = System.nanoTime();
            int read;
            try {
                read = socket.getInputStream().read();
            } catch (java.io.IOException closed) {
                read = -1;
            }
            long millis = java.util.concurrent.TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertEquals(-1, read, "closed without an answer");
            assertTrue(millis >= 250 && millis < 5000, "closed after " + millis + " ms");
        }
    }

    @Test
    void a_tls_handshake_not_complete_within_the_header_timeout_is_closed() throws Exception {
        Map<String, Object> config = pem(rsa, rsa.pkcs8KeyPem());
        config.put("requestHeaderTimeout", 300L);
        WebServer server = start(config, false);
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(10_000);
            // The header of a handshake record announcing 512 bytes, and a few of them: then nothing.
            socket.getOutputStream().write(new byte[] { 0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00 });
            socket.getOutputStream().flush();
            long start = System.nanoTime();
            int read;
            try {
                read = socket.getInputStream().read();
            } catch (java.io.IOException closed) {
                read = -1;
            }
            long millis = java.util.concurrent.TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertEquals(-1, read, "closed without an answer");
            assertTrue(millis >= 250 && millis < 5000, "closed after " + millis + " ms");
        }
        HttpResponse<String> next = get(client(rsa.clientContext(), HttpClient.Version.HTTP_2),
                "https://127.0.0.1:" + server.port() + "/api/echo?message=next");
        assertEquals(200, next.statusCode(), next.body());
    }

    @Test
    void over_https_one_address_beyond_its_limit_is_closed_before_the_handshake() throws Exception {
        Map<String, Object> config = pem(rsa, rsa.pkcs8KeyPem());
        config.put("maxConnectionsPerAddress", 2L);
        config.put("trustedProxies", new String[] { "10.0.0.1" });
        WebServer server = start(config, false);
        javax.net.ssl.SSLSocketFactory factory = rsa.clientContext().getSocketFactory();
        try (SSLSocket first = (SSLSocket) factory.createSocket("127.0.0.1", server.port());
                SSLSocket second = (SSLSocket) factory.createSocket("127.0.0.1", server.port())) {
            first.startHandshake();
            second.startHandshake();
            try (SSLSocket third = (SSLSocket) factory.createSocket("127.0.0.1", server.port())) {
                third.setSoTimeout(10_000);
                assertThrows(java.io.IOException.class, third::startHandshake, "the third connection is closed");
            }
        }
        // The two closed, the address may connect again.
        HttpResponse<String> again = null;
        for (int i = 0; i < 50 && again == null; i++) {
            try {
                again = get(client(rsa.clientContext(), HttpClient.Version.HTTP_1_1),
                        "https://127.0.0.1:" + server.port() + "/api/echo?message=again");
            } catch (java.io.IOException stillCounted) {
                Thread.sleep(100);
            }
        }
        assertTrue(again != null && again.statusCode() == 200, "served again once the first two closed");
    }

    @Test
    void a_new_certificate_is_used_by_new_connections_without_closing_the_port() throws Exception {
        Map<String, Object> config = pem(rsa, rsa.pkcs8KeyPem());
        WebServer server = start(config, false);
        Object transport = server.transport();
        assertEquals(rsa.certificate(), presented(server.port()));

        Map<String, Object> renewed = pem(ec, ec.pkcs8KeyPem());
        renewed.put("hsts", "true");
        server.apply(TestConfig.settings(renewed));

        assertEquals(ec.certificate(), presented(server.port()));
        assertTrue(transport == server.transport(), "the listening socket stays");
        HttpResponse<String> response = get(client(ec.clientContext(), HttpClient.Version.HTTP_2),
                "https://127.0.0.1:" + server.port() + "/api/echo");
        assertEquals(200, response.statusCode());
        assertTrue(response.headers().firstValue("strict-transport-security").isPresent());
    }

    @Test
    void a_stop_lets_http2_requests_in_flight_finish_answers_503_on_their_connection_and_refuses_new_ones()
            throws Exception {
        TestRunner runner = new TestRunner();
        Map<String, Object> config = pem(rsa, rsa.pkcs8KeyPem());
        config.put("shutdownTimeout", 60_000L);
        WebServer server = new WebServer(TestConfig.settings(config), () -> runner, TestIdentity.development(),
                Messages::defaults);
        server.start();
        int port = server.port();
        HttpClient client = client(rsa.clientContext(), HttpClient.Version.HTTP_2);
        String base = "https://127.0.0.1:" + port;
        assertEquals(HttpClient.Version.HTTP_2, get(client, base + "/api/echo").version());
        java.util.concurrent.CompletableFuture<HttpResponse<String>> inFlight = client.sendAsync(
                HttpRequest.newBuilder(URI.create(base + "/api/slow")).build(), HttpResponse.BodyHandlers.ofString());
        assertTrue(runner.slowStarted.tryAcquire(30, java.util.concurrent.TimeUnit.SECONDS), "the slow request is in flight");

        java.util.concurrent.CompletableFuture<Void> stopped = java.util.concurrent.CompletableFuture.runAsync(server::stop);
        assertTrue(Ports.awaitRefused(port), "new connections are refused while stopping");
        // The same HTTP/2 connection carries a new request: Jetty's GracefulHandler answers it.
        HttpResponse<String> during = get(client, base + "/api/echo");
        assertEquals(503, during.statusCode(), during.body());
        assertFalse(stopped.isDone(), "the stop waits for the request in flight");

        runner.releaseSlow();
        HttpResponse<String> finished = inFlight.get(30, java.util.concurrent.TimeUnit.SECONDS);
        assertEquals(200, finished.statusCode(), finished.body());
        assertEquals(HttpClient.Version.HTTP_2, finished.version());
        stopped.get(60, java.util.concurrent.TimeUnit.SECONDS);
    }

    /** The certificate the server presents in a new handshake, trusting both test certificates. */
    private static Certificate presented(int port) throws Exception {
        java.security.KeyStore trust = java.security.KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("rsa", rsa.certificate());
        trust.setCertificateEntry("ec", ec.certificate());
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, factory.getTrustManagers(), null);
        try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", port)) {
            socket.startHandshake();
            return socket.getSession().getPeerCertificates()[0];
        }
    }

    // ---- one clear error per bad file, naming the key

    private static ConfigurationException refused(Map<String, ?> config) {
        Map<String, Object> values = new HashMap<>(config);
        values.put("port", "0");
        return assertThrows(ConfigurationException.class, () -> WebSettings.from(TestConfig.of(values), false, null));
    }

    @Test
    void a_missing_certificate_file_is_refused_naming_tls_certificate() {
        ConfigurationException e = refused(Map.of("tlsCertificate", keys.resolve("absent.pem").toString(),
                "tlsPrivateKey", rsa.pkcs8KeyPem().toString()));
        assertEquals("tlsCertificate", e.getProperty());
        assertTrue(e.getReason().contains("absent.pem does not exist"), e.getReason());
    }

    @Test
    void a_key_of_another_certificate_is_refused_naming_tls_private_key() {
        ConfigurationException e = refused(Map.of("tlsCertificate", rsa.certificatePem().toString(),
                "tlsPrivateKey", ec.pkcs8KeyPem().toString()));
        assertEquals("tlsPrivateKey", e.getProperty());
        assertTrue(e.getReason().contains("does not belong to the certificate"), e.getReason());
    }

    @Test
    void a_file_without_a_key_or_an_encrypted_key_is_refused_saying_so() throws Exception {
        ConfigurationException noKey = refused(Map.of("tlsCertificate", rsa.certificatePem().toString(),
                "tlsPrivateKey", rsa.certificatePem().toString()));
        assertEquals("tlsPrivateKey", noKey.getProperty());
        assertTrue(noKey.getReason().contains("holds no PEM private key"), noKey.getReason());

        Path encrypted = keys.resolve("encrypted.pem");
        Files.writeString(encrypted, "-----BEGIN ENCRYPTED PRIVATE KEY-----\nMIIBvTBXBgkqhkiG9w0BBQ0wSjApBgkqhkiG9w0BBQww\n"
                + "-----END ENCRYPTED PRIVATE KEY-----\n", StandardCharsets.US_ASCII);
        ConfigurationException e = refused(Map.of("tlsCertificate", rsa.certificatePem().toString(),
                "tlsPrivateKey", encrypted.toString()));
        assertTrue(e.getReason().contains("encrypted private key"), e.getReason());

        Path garbage = keys.resolve("garbage.pem");
        Files.writeString(garbage, "not a certificate");
        ConfigurationException notPem = refused(Map.of("tlsCertificate", garbage.toString(),
                "tlsPrivateKey", rsa.pkcs8KeyPem().toString()));
        assertEquals("tlsCertificate", notPem.getProperty());
        assertTrue(notPem.getReason().contains("holds no PEM certificate"), notPem.getReason());
    }

    @Test
    void a_wrong_key_store_password_is_refused_naming_the_password() {
        ConfigurationException e = refused(Map.of("tlsKeyStore", ec.keyStore().toString(), "_tlsKeyStorePassword", "wrong"));
        assertEquals(".tlsKeyStorePassword", e.getProperty());
        assertTrue(e.getReason().contains("wrong password"), e.getReason());

        ConfigurationException notAStore = refused(Map.of("tlsKeyStore", rsa.certificatePem().toString()));
        assertEquals("tlsKeyStore", notAStore.getProperty());
    }

    @Test
    void half_a_pem_pair_or_both_kinds_of_keys_are_refused() {
        assertEquals("tlsPrivateKey", refused(Map.of("tlsCertificate", rsa.certificatePem().toString())).getProperty());
        assertEquals("tlsCertificate", refused(Map.of("tlsPrivateKey", rsa.pkcs8KeyPem().toString())).getProperty());
        assertEquals("tlsKeyStore", refused(Map.of("tlsKeyStore", ec.keyStore().toString(), "tlsCertificate",
                rsa.certificatePem().toString(), "tlsPrivateKey", rsa.pkcs8KeyPem().toString())).getProperty());
        assertEquals("hsts", refused(Map.of("hsts", "sometimes")).getProperty());
    }
}
