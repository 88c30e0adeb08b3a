/**
 * The server key and certificate of a TLS listener, read the same way by every Herald transport (the web server and
 * the TCP server): from PEM files (a certificate chain and a PKCS#8, PKCS#1 RSA or SEC1 EC private key) or from a
 * PKCS12 or JKS key store. Every problem (a missing or unreadable file, no certificate, an encrypted or unknown key, a
 * key that does not match the certificate, a wrong password) is a {@link io.herald.core.tls.TlsKeyException} naming
 * the configuration property, so activation fails with one line the operator can act on.
 *
 * @since 1.0
 */
@org.osgi.annotation.versioning.Version("1.0.0")
package io.herald.core.tls;
