package io.herald.testing.redis;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Makes a throwaway CA and a server certificate it signed, with the JDK's own {@code keytool} (always there where the
 * tests run, unlike the {@code openssl} command), and writes them as redis-server reads them: PEM certificates and an
 * unencrypted PKCS#8 PEM key. EC P-256 keys: generated in milliseconds, and OpenSSL and the JDK both speak them.
 */
final class TestCertificates {

    private static final long KEYTOOL_TIMEOUT_SECONDS = 60;
    /** A few days: long enough for any test run, short enough that a leftover key is worthless. */
    private static final String VALIDITY_DAYS = "3";

    private TestCertificates() {
    }

    /** Generates the files into {@code directory} (created if missing); about 1.5 s, four short keytool runs. */
    public static TlsFiles generate(Path directory) {
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + directory, e);
        }
        byte[] random = new byte[12];
        new SecureRandom().nextBytes(random);
        String password = HexFormat.of().formatHex(random);
        Path caStore = directory.resolve("ca.p12");
        Path serverStore = directory.resolve("server.p12");
        Path request = directory.resolve("server.csr");
        Path certificate = directory.resolve("server.pem");
        Path caCertificate = directory.resolve("ca.pem");
        Path privateKey = directory.resolve("server.key");
        Path trustStore = directory.resolve("truststore.p12");

        keytool(directory, "-genkeypair", "-keystore", caStore.toString(), "-storetype", "PKCS12", "-storepass",
                password, "-alias", "ca", "-keyalg", "EC", "-groupname", "secp256r1", "-dname",
                "CN=Herald throwaway test CA", "-ext", "bc:c", "-startdate", "-1d", "-validity", VALIDITY_DAYS);
        keytool(directory, "-genkeypair", "-keystore", serverStore.toString(), "-storetype", "PKCS12", "-storepass",
                password, "-alias", "server", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=127.0.0.1",
                "-startdate", "-1d", "-validity", VALIDITY_DAYS);
        keytool(directory, "-certreq", "-keystore", serverStore.toString(), "-storepass", password, "-alias", "server",
                "-file", request.toString());
        // IP:127.0.0.1 only, no DNS:localhost: a client that checks host names must refuse "localhost"
        keytool(directory, "-gencert", "-keystore", caStore.toString(), "-storepass", password, "-alias", "ca",
                "-infile", request.toString(), "-outfile", certificate.toString(), "-rfc", "-ext", "san=ip:127.0.0.1",
                "-ext", "ku:c=digitalSignature,keyEncipherment", "-ext", "eku=serverAuth", "-startdate", "-1d",
                "-validity", VALIDITY_DAYS);

        try {
            KeyStore ca = load(caStore, password);
            Certificate caCert = ca.getCertificate("ca");
            writePem(caCertificate, "CERTIFICATE", caCert.getEncoded());
            Key key = load(serverStore, password).getKey("server", password.toCharArray());
            writePem(privateKey, "PRIVATE KEY", key.getEncoded());
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            trust.setCertificateEntry("herald-test-ca", caCert);
            try (OutputStream out = Files.newOutputStream(trustStore)) {
                trust.store(out, password.toCharArray());
            }
            Files.delete(request);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the test certificates into " + directory, e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot write the test certificates into " + directory + ": "
                    + e.getMessage(), e);
        }
        return new TlsFiles(caCertificate, certificate, privateKey, trustStore, password);
    }

    private static KeyStore load(Path file, String password) throws IOException, GeneralSecurityException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(file)) {
            store.load(in, password.toCharArray());
        }
        return store;
    }

    private static void writePem(Path file, String type, byte[] der) throws IOException {
        String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
        Files.writeString(file, "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n",
                StandardCharsets.US_ASCII);
    }

    private static void keytool(Path directory, String... arguments) {
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        if (!Files.isExecutable(keytool)) {
            throw new IllegalStateException("no keytool at " + keytool + ": TLS test servers need a full JDK (.ci/run"
                    + " installs one, openjdk-17-jdk-headless)");
        }
        List<String> command = new ArrayList<>();
        command.add(keytool.toString());
        // a short-lived tool: skip the optimising compiler and the parallel GC, halving its start-up
        command.addAll(List.of("-J-XX:TieredStopAtLevel=1", "-J-XX:+UseSerialGC"));
        command.addAll(List.of(arguments));
        Path output = directory.resolve("keytool.log");
        try {
            Process process = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(output.toFile())).start();
            if (!process.waitFor(KEYTOOL_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("keytool " + arguments[0] + " did not finish within "
                        + KEYTOOL_TIMEOUT_SECONDS + " s");
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException("keytool " + arguments[0] + " failed with code " + process.exitValue()
                        + ":\n" + Files.readString(output));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + keytool, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while keytool ran", e);
        }
    }
}
