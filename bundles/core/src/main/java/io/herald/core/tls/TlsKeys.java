package io.herald.core.tls;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.KeyStoreException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.UnrecoverableKeyException;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;

/**
 * A server's private key and certificate chain, checked and held in a {@link KeyStore} that a TLS library (Jetty's
 * {@code SslContextFactory.Server}: {@code setKeyStore(keyStore())}, {@code setKeyStorePassword(password())}) takes as
 * it is. Read from PEM files (what Let's Encrypt and Node's {@code https.createServer({key, cert})}, which Actionhero
 * users configure, hand out) or from a PKCS12 or JKS key store. Everything is checked here, when the configuration is
 * read, so that a bad file fails activation with one line naming its property instead of the first handshake failing.
 */
public final class TlsKeys {

    /** The configuration keys of a transport's TLS, the same in every transport's {@code .cfg}. */
    public static final String CERTIFICATE = "tlsCertificate";
    public static final String PRIVATE_KEY = "tlsPrivateKey";
    public static final String KEY_STORE = "tlsKeyStore";
    /** Private (leading dot): DS publishes every other key as a service property any bundle can read. */
    public static final String KEY_STORE_PASSWORD = ".tlsKeyStorePassword";

    private static final String ALIAS = "herald";

    private final KeyStore keyStore;
    private final String password;
    private final X509Certificate certificate;
    private final String source;

    private TlsKeys(KeyStore keyStore, String password, X509Certificate certificate, String source) {
        this.keyStore = keyStore;
        this.password = password;
        this.certificate = certificate;
        this.source = source;
    }

    /**
     * A transport's TLS as its configuration gives it, under the keys {@link #CERTIFICATE} with {@link #PRIVATE_KEY}
     * (PEM), or {@link #KEY_STORE} with {@link #KEY_STORE_PASSWORD}; {@code ${herald.home}} in a path is the node's home.
     *
     * @return {@code null} when none of the files is given: no TLS
     * @throws TlsKeyException naming the key at fault: a file missing, unreadable or wrong, half of the PEM pair, both
     *         PEM files and a key store, a wrong password
     */
    public static TlsKeys configured(String certificate, String privateKey, String keyStore, String keyStorePassword) {
        Path certificateFile = path(CERTIFICATE, certificate);
        Path keyFile = path(PRIVATE_KEY, privateKey);
        Path storeFile = path(KEY_STORE, keyStore);
        if (storeFile != null && (certificateFile != null || keyFile != null)) {
            throw new TlsKeyException(KEY_STORE, "is set together with " + (certificateFile != null ? CERTIFICATE
                    : PRIVATE_KEY) + ": give either the PEM files or a key store, not both");
        }
        if (certificateFile == null && keyFile != null) {
            throw new TlsKeyException(CERTIFICATE, "is empty while " + PRIVATE_KEY + " is set: TLS needs the certificate "
                    + "chain of the key (PEM)");
        }
        if (certificateFile != null && keyFile == null) {
            throw new TlsKeyException(PRIVATE_KEY, "is empty while " + CERTIFICATE + " is set: TLS needs the certificate's "
                    + "private key (PEM)");
        }
        if (storeFile != null) {
            return fromKeyStore(KEY_STORE, storeFile, KEY_STORE_PASSWORD, keyStorePassword);
        }
        return certificateFile == null ? null : fromPem(CERTIFICATE, certificateFile, PRIVATE_KEY, keyFile);
    }

    private static Path path(String property, String configured) {
        if (configured == null || configured.isBlank()) {
            return null;
        }
        try {
            return Path.of(configured.trim().replace("${herald.home}", System.getProperty("herald.home", ".")))
                    .toAbsolutePath();
        } catch (java.nio.file.InvalidPathException e) {
            throw new TlsKeyException(property, "must be a file path, was \"" + configured + "\": " + e.getReason());
        }
    }

    /**
     * Reads a certificate chain (the server's certificate first, then its intermediates) and an unencrypted private key
     * in PKCS#8 ({@code PRIVATE KEY}), PKCS#1 ({@code RSA PRIVATE KEY}) or SEC1 ({@code EC PRIVATE KEY}) PEM form. The
     * two may be one file.
     *
     * @param certificateProperty the property naming {@code certificate}, for error messages
     * @param keyProperty the property naming {@code privateKey}, for error messages
     * @throws TlsKeyException naming the property whose file is missing, unreadable, holds no certificate or no usable
     *         key, or whose key does not belong to the certificate
     */
    public static TlsKeys fromPem(String certificateProperty, Path certificate, String keyProperty, Path privateKey) {
        List<X509Certificate> chain = certificates(certificateProperty, certificate);
        PrivateKey key = privateKey(keyProperty, privateKey);
        if (!matches(key, chain.get(0).getPublicKey())) {
            throw new TlsKeyException(keyProperty, "the private key in " + privateKey + " does not belong to the certificate in "
                    + certificate + " (" + certificateProperty + ")");
        }
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            // Held in memory only; the password just satisfies the KeyStore API.
            String password = randomPassword();
            store.setKeyEntry(ALIAS, key, password.toCharArray(), chain.toArray(new Certificate[0]));
            return new TlsKeys(store, password, chain.get(0), certificate + " and " + privateKey);
        } catch (GeneralSecurityException | IOException e) {
            throw new TlsKeyException(keyProperty, "cannot hold the key of " + privateKey + " for TLS: " + e.getMessage());
        }
    }

    /**
     * Opens a PKCS12 or JKS key store (the type is recognised from the file) holding the server's key and certificate.
     * Its keys must open with the store's password, as Jetty and the JDK's key managers expect.
     *
     * @throws TlsKeyException naming the key store's property (missing, unreadable, not a key store, no private key)
     *         or the password's (it does not open the store)
     */
    public static TlsKeys fromKeyStore(String keyStoreProperty, Path file, String passwordProperty, String password) {
        readable(keyStoreProperty, file, "a PKCS12 or JKS key store");
        char[] secret = password == null ? new char[0] : password.toCharArray();
        KeyStore store;
        try {
            store = KeyStore.getInstance(file.toFile(), secret);
        } catch (IOException e) {
            if (e.getCause() instanceof UnrecoverableKeyException || String.valueOf(e.getMessage()).contains("password")) {
                throw new TlsKeyException(passwordProperty, "does not open the key store " + file + " (" + keyStoreProperty
                        + "): wrong password");
            }
            throw new TlsKeyException(keyStoreProperty, "cannot read the key store " + file + ": " + e.getMessage());
        } catch (KeyStoreException e) {
            throw new TlsKeyException(keyStoreProperty, file + " is not a PKCS12 or JKS key store");
        } catch (GeneralSecurityException e) {
            throw new TlsKeyException(keyStoreProperty, "cannot read the key store " + file + ": " + e.getMessage());
        }
        try {
            for (String alias : Collections.list(store.aliases())) {
                if (!store.isKeyEntry(alias)) {
                    continue;
                }
                Key key;
                try {
                    key = store.getKey(alias, secret);
                } catch (UnrecoverableKeyException e) {
                    throw new TlsKeyException(passwordProperty, "does not open the private key \"" + alias + "\" in "
                            + file + " (" + keyStoreProperty + "): the key's password must be the store's");
                }
                if (key instanceof PrivateKey && store.getCertificate(alias) instanceof X509Certificate x509) {
                    return new TlsKeys(store, password == null ? "" : password, x509, "key store " + file);
                }
            }
        } catch (GeneralSecurityException e) {
            throw new TlsKeyException(keyStoreProperty, "cannot read the key store " + file + ": " + e.getMessage());
        }
        throw new TlsKeyException(keyStoreProperty, "the key store " + file + " holds no private key with a certificate");
    }

    /** The key and its chain, under one alias. */
    public KeyStore keyStore() {
        return keyStore;
    }

    /** The password of {@link #keyStore()} and of its key. */
    public String password() {
        return password;
    }

    /** The server's own certificate (the first of the chain). */
    public X509Certificate certificate() {
        return certificate;
    }

    /**
     * Where the keys came from ({@code key store /etc/herald.p12}, {@code /etc/cert.pem and /etc/key.pem}): a
     * configuration naming the same files has the same source.
     */
    public String source() {
        return source;
    }

    /** For the log: the certificate's subject and its end of validity. */
    public String description() {
        return certificate.getSubjectX500Principal().getName() + ", valid until " + certificate.getNotAfter().toInstant();
    }

    @Override
    public String toString() {
        return "TlsKeys[" + description() + "]";
    }

    private static List<X509Certificate> certificates(String property, Path file) {
        List<Pem.Block> blocks = blocks(property, file, "a PEM certificate chain");
        List<X509Certificate> chain = new ArrayList<>();
        try {
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            for (Pem.Block block : blocks) {
                if (block.label().equals("CERTIFICATE")) {
                    chain.add((X509Certificate) factory.generateCertificate(new ByteArrayInputStream(block.der())));
                }
            }
        } catch (CertificateException e) {
            throw new TlsKeyException(property, file + " holds a certificate that cannot be read: " + e.getMessage());
        }
        if (chain.isEmpty()) {
            throw new TlsKeyException(property, file + " holds no PEM certificate (-----BEGIN CERTIFICATE-----)");
        }
        return chain;
    }

    private static PrivateKey privateKey(String property, Path file) {
        for (Pem.Block block : blocks(property, file, "a PEM private key")) {
            switch (block.label()) {
                case "PRIVATE KEY":
                    return pkcs8(property, file, block.der());
                case "RSA PRIVATE KEY":
                    return pkcs8(property, file, Pem.pkcs8FromPkcs1(block.der()));
                case "EC PRIVATE KEY":
                    try {
                        return pkcs8(property, file, Pem.pkcs8FromSec1(block.der()));
                    } catch (IllegalArgumentException e) {
                        throw new TlsKeyException(property, file + " holds an EC private key that cannot be read: "
                                + e.getMessage());
                    }
                case "ENCRYPTED PRIVATE KEY":
                    throw new TlsKeyException(property, file + " holds an encrypted private key: decrypt it (openssl pkcs8 "
                            + "-in key.pem -nocrypt -out plain.pem) or use a PKCS12 key store with a password");
                default:
                    // A certificate in a combined file, EC PARAMETERS before an EC key: not the key.
            }
        }
        throw new TlsKeyException(property, file + " holds no PEM private key (-----BEGIN PRIVATE KEY-----, RSA PRIVATE KEY "
                + "or EC PRIVATE KEY)");
    }

    private static PrivateKey pkcs8(String property, Path file, byte[] der) {
        PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(der);
        for (String algorithm : new String[] { "RSA", "EC", "Ed25519", "Ed448", "RSASSA-PSS" }) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(spec);
            } catch (InvalidKeySpecException | java.security.NoSuchAlgorithmException | RuntimeException e) {
                // Not this algorithm: try the next.
            }
        }
        throw new TlsKeyException(property, file + " holds a private key that is not an RSA, EC or EdDSA key in a form "
                + "that can be read");
    }

    /** Whether {@code key} signs what {@code publicKey} verifies: the certificate belongs to the key. */
    private static boolean matches(PrivateKey key, PublicKey publicKey) {
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            case "RSASSA-PSS" -> "RSASSA-PSS";
            default -> key.getAlgorithm();
        };
        try {
            byte[] probe = "herald".getBytes(StandardCharsets.US_ASCII);
            Signature signer = Signature.getInstance(algorithm);
            if (algorithm.equals("RSASSA-PSS")) {
                signer.setParameter(new java.security.spec.PSSParameterSpec("SHA-256", "MGF1",
                        java.security.spec.MGF1ParameterSpec.SHA256, 32, 1));
            }
            signer.initSign(key);
            signer.update(probe);
            byte[] signature = signer.sign();
            signer.initVerify(publicKey);
            signer.update(probe);
            return signer.verify(signature);
        } catch (GeneralSecurityException e) {
            // A public key of another algorithm than the private key's: not a pair.
            return false;
        }
    }

    private static List<Pem.Block> blocks(String property, Path file, String expected) {
        readable(property, file, expected);
        try {
            return Pem.blocks(Files.readString(file, StandardCharsets.ISO_8859_1));
        } catch (IOException e) {
            throw new TlsKeyException(property, "cannot read " + file + ": " + e.getMessage());
        } catch (IllegalArgumentException e) {
            throw new TlsKeyException(property, file + " is not a valid PEM file: " + e.getMessage());
        }
    }

    private static void readable(String property, Path file, String expected) {
        if (file == null) {
            throw new TlsKeyException(property, "must name " + expected + " file");
        }
        if (Files.isDirectory(file)) {
            throw new TlsKeyException(property, file + " is a directory, not " + expected + " file");
        }
        try (var in = Files.newInputStream(file)) {
            in.read();
        } catch (NoSuchFileException e) {
            throw new TlsKeyException(property, file + " does not exist (" + expected + " file is expected)");
        } catch (AccessDeniedException e) {
            throw new TlsKeyException(property, file + " cannot be read by this process (permission denied)");
        } catch (IOException e) {
            throw new TlsKeyException(property, "cannot read " + file + ": " + e);
        }
    }

    private static String randomPassword() {
        byte[] random = new byte[18];
        new SecureRandom().nextBytes(random);
        return Base64.getEncoder().encodeToString(random);
    }
}
