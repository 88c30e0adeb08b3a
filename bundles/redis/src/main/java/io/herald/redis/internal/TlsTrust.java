package io.herald.redis.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Collection;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;

/**
 * The TLS side of a connection's Jedis client: whom it trusts ({@code sslCaFile} or {@code sslTrustStore}, else the
 * JVM's trust store) and whether it checks that the server's certificate names the host it dialled. Managed Redis
 * services and self-run servers usually sign with a private CA, hence a per-connection CA file rather than a change
 * to the whole JVM's trust store.
 */
final class TlsTrust {

    private TlsTrust() {
    }

    /**
     * A socket factory trusting exactly the configured CAs, or null for the JVM's default (Jedis then uses
     * {@link SSLSocketFactory#getDefault()}).
     *
     * @throws IllegalArgumentException naming the key and the file when it cannot be read or holds no certificate
     */
    static SSLSocketFactory socketFactory(ConnectionSettings.Tls tls) {
        if (!tls.enabled() || (tls.caFile() == null && tls.trustStore() == null)) {
            return null;
        }
        KeyStore trusted = tls.caFile() != null ? caFile(tls) : trustStore(tls);
        try {
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(trusted);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, factory.getTrustManagers(), null);
            return context.getSocketFactory();
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot set up TLS: " + e.getMessage(), e);
        }
    }

    /**
     * Host name verification as HTTPS does it (the certificate's subject alternative names must name the host or IP
     * address dialled), or none when {@code sslVerifyHostname = false}; the chain is checked either way.
     */
    static SSLParameters parameters(ConnectionSettings.Tls tls) {
        SSLParameters parameters = new SSLParameters();
        parameters.setEndpointIdentificationAlgorithm(tls.verifyHostname() ? "HTTPS" : null);
        return parameters;
    }

    private static KeyStore caFile(ConnectionSettings.Tls tls) {
        try (InputStream in = Files.newInputStream(tls.caFile())) {
            Collection<? extends Certificate> certificates = CertificateFactory.getInstance("X.509")
                    .generateCertificates(in);
            if (certificates.isEmpty()) {
                throw new IllegalArgumentException("sslCaFile " + tls.caFile() + " holds no PEM certificate");
            }
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            int n = 0;
            for (Certificate certificate : certificates) {
                store.setCertificateEntry("ca-" + n++, certificate);
            }
            return store;
        } catch (IOException e) {
            throw new IllegalArgumentException("sslCaFile " + tls.caFile() + " cannot be read: " + describe(e), e);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("sslCaFile " + tls.caFile() + " is not a PEM certificate file: "
                    + e.getMessage(), e);
        }
    }

    private static KeyStore trustStore(ConnectionSettings.Tls tls) {
        char[] password = tls.trustStorePassword() == null ? null : tls.trustStorePassword().toCharArray();
        if (!Files.isRegularFile(tls.trustStore())) {
            throw new IllegalArgumentException("sslTrustStore " + tls.trustStore() + " cannot be read: no such file");
        }
        try {
            // PKCS12 or JKS, whichever the file is (the JDK recognises both)
            KeyStore store = KeyStore.getInstance(tls.trustStore().toFile(), password);
            if (store.size() == 0) {
                throw new IllegalArgumentException("sslTrustStore " + tls.trustStore() + " holds no certificate"
                        + (password == null ? " it can read without a password (set .sslTrustStorePassword)" : ""));
            }
            return store;
        } catch (IOException e) {
            throw new IllegalArgumentException("sslTrustStore " + tls.trustStore() + " cannot be read"
                    + (e.getCause() instanceof java.security.UnrecoverableKeyException
                            ? " (wrong .sslTrustStorePassword?)" : "") + ": " + describe(e), e);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("sslTrustStore " + tls.trustStore() + " is not a PKCS12 or JKS trust"
                    + " store: " + e.getMessage(), e);
        }
    }

    private static String describe(IOException e) {
        return e instanceof java.nio.file.NoSuchFileException ? "no such file"
                : e instanceof java.nio.file.AccessDeniedException ? "permission denied"
                : String.valueOf(e.getMessage());
    }
}
