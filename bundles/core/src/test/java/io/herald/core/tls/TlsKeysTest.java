package io.herald.core.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.util.Collections;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.X509KeyManager;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Key files as OpenSSL 3 writes them (the fixtures next to this class, made once with {@code openssl req -x509},
 * {@code openssl rsa -traditional}, {@code openssl ecparam -genkey}, {@code openssl pkcs8} and {@code openssl pkcs12
 * -export}; valid for 100 years, test keys only): every form is read into a key store a key manager can use, and
 * every problem names its property.
 */
class TlsKeysTest {

    @TempDir
    Path temp;

    private static Path fixture(String name) {
        try {
            return Path.of(TlsKeysTest.class.getResource(name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static TlsKeys pem(String certificate, String key) {
        return TlsKeys.fromPem("cert", fixture(certificate), "key", fixture(key));
    }

    /** The key store serves a key manager: the form a TLS server takes it in. */
    private static PrivateKey usableKey(TlsKeys keys) throws Exception {
        KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        factory.init(keys.keyStore(), keys.password().toCharArray());
        X509KeyManager manager = (X509KeyManager) factory.getKeyManagers()[0];
        String alias = Collections.list(keys.keyStore().aliases()).get(0);
        assertEquals(keys.certificate(), manager.getCertificateChain(alias)[0]);
        return manager.getPrivateKey(alias);
    }

    @Test
    void rsa_keys_in_pkcs8_pkcs1_and_a_combined_file_are_read() throws Exception {
        for (String key : new String[] { "rsa-pkcs8.pem", "rsa-pkcs1.pem", "rsa-combined.pem" }) {
            TlsKeys keys = pem("rsa-cert.pem", key);
            assertEquals("RSA", usableKey(keys).getAlgorithm(), key);
            assertEquals("CN=localhost", keys.certificate().getSubjectX500Principal().getName());
        }
        TlsKeys combined = pem("rsa-combined.pem", "rsa-combined.pem");
        assertTrue(combined.description().startsWith("CN=localhost, valid until 2"), combined.description());
    }

    @Test
    void ec_keys_in_sec1_with_its_parameters_block_and_in_pkcs8_are_read() throws Exception {
        assertEquals("EC", usableKey(pem("ec-cert.pem", "ec-sec1.pem")).getAlgorithm());
        assertEquals("EC", usableKey(pem("ec-cert.pem", "ec-pkcs8.pem")).getAlgorithm());
    }

    @Test
    void a_pkcs12_store_opens_with_its_password_and_names_the_password_when_wrong() throws Exception {
        TlsKeys keys = TlsKeys.fromKeyStore("store", fixture("ec-store.p12"), ".password", "changeit");
        assertEquals("EC", usableKey(keys).getAlgorithm());

        TlsKeyException wrong = assertThrows(TlsKeyException.class,
                () -> TlsKeys.fromKeyStore("store", fixture("ec-store.p12"), ".password", "wrong"));
        assertEquals(".password", wrong.property());
        assertTrue(wrong.reason().contains("wrong password"), wrong.reason());
        assertEquals(".password: " + wrong.reason(), wrong.getMessage());

        TlsKeyException notAStore = assertThrows(TlsKeyException.class,
                () -> TlsKeys.fromKeyStore("store", fixture("rsa-cert.pem"), ".password", "changeit"));
        assertEquals("store", notAStore.property());
    }

    @Test
    void a_key_of_another_certificate_is_refused_naming_the_key() {
        TlsKeyException e = assertThrows(TlsKeyException.class, () -> pem("rsa-cert.pem", "ec-pkcs8.pem"));
        assertEquals("key", e.property());
        assertTrue(e.reason().contains("does not belong to the certificate in"), e.reason());
        TlsKeyException sameAlgorithm = assertThrows(TlsKeyException.class, () -> pem("ec-cert.pem", "rsa-pkcs8.pem"));
        assertEquals("key", sameAlgorithm.property());
    }

    @Test
    void missing_unreadable_or_wrong_files_are_refused_saying_why() {
        TlsKeyException missing = assertThrows(TlsKeyException.class,
                () -> TlsKeys.fromPem("cert", temp.resolve("none.pem"), "key", fixture("rsa-pkcs8.pem")));
        assertEquals("cert", missing.property());
        assertTrue(missing.reason().endsWith("none.pem does not exist (a PEM certificate chain file is expected)"),
                missing.reason());

        TlsKeyException directory = assertThrows(TlsKeyException.class,
                () -> TlsKeys.fromPem("cert", fixture("rsa-cert.pem"), "key", temp));
        assertEquals("key", directory.property());
        assertTrue(directory.reason().contains("is a directory"), directory.reason());

        TlsKeyException encrypted = assertThrows(TlsKeyException.class, () -> pem("rsa-cert.pem", "rsa-encrypted.pem"));
        assertTrue(encrypted.reason().contains("holds an encrypted private key"), encrypted.reason());

        TlsKeyException noKey = assertThrows(TlsKeyException.class, () -> pem("rsa-cert.pem", "rsa-cert.pem"));
        assertTrue(noKey.reason().contains("holds no PEM private key"), noKey.reason());

        TlsKeyException noCertificate = assertThrows(TlsKeyException.class, () -> pem("rsa-pkcs8.pem", "rsa-pkcs8.pem"));
        assertEquals("cert", noCertificate.property());
        assertTrue(noCertificate.reason().contains("holds no PEM certificate"), noCertificate.reason());
    }
}
