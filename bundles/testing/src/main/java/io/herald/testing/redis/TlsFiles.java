package io.herald.testing.redis;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Objects;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;

/**
 * The throwaway certificates of a TLS {@link RedisServer}: a test CA, a server certificate it signed for
 * {@code IP:127.0.0.1} only (so a client that checks host names accepts {@code 127.0.0.1} and refuses
 * {@code localhost}), the server's private key, and the CA as a PKCS12 trust store. All live in the server's temporary
 * directory and go with it; the CA is made anew for every server, so no other server trusts it.
 *
 * @param caCertificate the CA certificate (PEM), what a client trusts ({@code tls-ca-cert-file} of the server)
 * @param certificate the server's certificate (PEM, {@code tls-cert-file})
 * @param privateKey the server's private key (unencrypted PKCS#8 PEM, {@code tls-key-file})
 * @param trustStore a PKCS12 trust store holding only the CA certificate, for clients configured with a trust store
 * @param trustStorePassword the trust store's password
 * @since 1.1
 */
public record TlsFiles(Path caCertificate, Path certificate, Path privateKey, Path trustStore,
        String trustStorePassword) {

    public TlsFiles {
        Objects.requireNonNull(caCertificate, "caCertificate");
        Objects.requireNonNull(certificate, "certificate");
        Objects.requireNonNull(privateKey, "privateKey");
        Objects.requireNonNull(trustStore, "trustStore");
        Objects.requireNonNull(trustStorePassword, "trustStorePassword");
    }

    /** A socket factory that trusts only {@link #caCertificate()}: what {@link RespClient} uses for this server. */
    public SSLSocketFactory socketFactory() {
        try (InputStream in = Files.newInputStream(caCertificate)) {
            KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
            trusted.load(null, null);
            int n = 0;
            for (Certificate ca : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                trusted.setCertificateEntry("ca-" + n++, ca);
            }
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(trusted);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return context.getSocketFactory();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + caCertificate, e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot trust " + caCertificate + ": " + e.getMessage(), e);
        }
    }
}
