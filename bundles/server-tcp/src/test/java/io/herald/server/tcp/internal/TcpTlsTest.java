package io.herald.server.tcp.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.Map;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

import io.herald.core.json.HeraldJson;
import io.herald.core.tls.TlsKeys;
import io.herald.testing.tls.TestCertificates;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The TCP server over TLS, with a key store made by the JDK's keytool: the same protocol, encrypted. */
class TcpTlsTest {

    private static final String PASSWORD = "tls-test-password";

    @TempDir
    Path dir;

    private TcpServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop();
        }
    }

    private Path keyStore() throws Exception {
        Path store = dir.resolve("herald.p12");
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        Process process = new ProcessBuilder(keytool.toString(), "-genkeypair", "-alias", "herald", "-keyalg", "EC",
                "-groupname", "secp256r1", "-dname", "CN=127.0.0.1", "-ext", "SAN=ip:127.0.0.1", "-validity", "2",
                "-storetype", "PKCS12", "-keystore", store.toString(), "-storepass", PASSWORD, "-keypass", PASSWORD)
                .redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, process.waitFor(), output);
        return store;
    }

    private static SSLContext trusting(Path store) throws Exception {
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            keys.load(in, PASSWORD.toCharArray());
        }
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(keys);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        return context;
    }

    @Test
    void a_client_over_tls_is_welcomed_and_runs_actions_and_a_plain_client_gets_nothing() throws Exception {
        Path store = keyStore();
        server = new TcpServer(new TcpSettings(true, "127.0.0.1", 0, 65536, 100, 300_000, 10_000, 1000, 10_000,
                TlsKeys.fromKeyStore("tlsKeyStore", store, ".tlsKeyStorePassword", PASSWORD)), new TcpServices(() -> TestActions.pipeline(new TestActions.Slow()), () -> null, () -> null, () -> null));
        server.start();
        try (SSLSocket socket = (SSLSocket) trusting(store).getSocketFactory().createSocket("127.0.0.1", server.port())) {
            socket.setSoTimeout(30_000);
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            OutputStream out = socket.getOutputStream();
            Map<?, ?> welcome = HeraldJson.mapper().readValue(in.readLine(), Map.class);
            assertEquals("api", welcome.get("context"));
            out.write("{\"action\":\"add\",\"params\":{\"a\":2,\"b\":3}}\n".getBytes(StandardCharsets.UTF_8));
            out.flush();
            Map<?, ?> answer = HeraldJson.mapper().readValue(in.readLine(), Map.class);
            assertEquals(5, answer.get("sum"), answer.toString());
        }
        try (Socket plain = new Socket("127.0.0.1", server.port())) {
            plain.setSoTimeout(5_000);
            plain.getOutputStream().write("status\n".getBytes(StandardCharsets.UTF_8));
            BufferedReader in = new BufferedReader(new InputStreamReader(plain.getInputStream(), StandardCharsets.UTF_8));
            assertThrows(IOException.class, () -> {
                String line = in.readLine();
                if (line == null || !line.contains("\"context\"")) {
                    throw new IOException("no protocol line over plain TCP: " + line);
                }
            }, "a plain client gets no answer from a TLS port");
        }
    }

    @Test
    void pem_files_as_the_web_server_takes_them_serve_tls_too() throws Exception {
        TestCertificates certificates = TestCertificates.ec(dir.resolve("pem"));
        TlsKeys keys = TlsKeys.configured(certificates.certificatePem().toString(),
                certificates.traditionalKeyPem().toString(), "", "");
        server = new TcpServer(new TcpSettings(true, "127.0.0.1", 0, 65536, 100, 300_000, 10_000, 1000, 10_000, keys),
                new TcpServices(() -> TestActions.pipeline(new TestActions.Slow()), () -> null, () -> null, () -> null));
        server.start();
        try (SSLSocket socket = (SSLSocket) certificates.clientContext().getSocketFactory().createSocket("127.0.0.1",
                server.port())) {
            socket.setSoTimeout(30_000);
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            Map<?, ?> welcome = HeraldJson.mapper().readValue(in.readLine(), Map.class);
            assertEquals("api", welcome.get("context"));
            assertEquals(certificates.certificate(), socket.getSession().getPeerCertificates()[0]);
        }
    }
}
