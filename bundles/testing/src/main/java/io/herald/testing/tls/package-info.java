/**
 * Test certificates made at test time: a self-signed server key and certificate for {@code localhost} and
 * {@code 127.0.0.1}, written in every form a TLS listener reads (PEM chain, PKCS#8, PKCS#1 and SEC1 keys, a PKCS12 key
 * store), and a client {@link javax.net.ssl.SSLContext} that trusts it. Made with the JDK's {@code keytool}, so no
 * crypto library is needed.
 *
 * @since 1.0
 */
@org.osgi.annotation.versioning.Version("1.0.0")
package io.herald.testing.tls;
