package io.herald.server.web.internal;


import org.osgi.service.cm.ConfigurationException;

import io.herald.core.tls.TlsKeyException;
import io.herald.core.tls.TlsKeys;

/**
 * HTTPS of the web server (Actionhero's {@code web.secure} with {@code serverOptions.key} and {@code cert}): the key
 * and certificate, read and checked by the core's {@link TlsKeys} (as the TCP server reads its own), HTTP/2 and HSTS.
 *
 * @param keys the server's key and certificate chain
 * @param http2 offer HTTP/2 in the TLS handshake (ALPN), HTTP/1.1 otherwise
 * @param hstsMaxAge the {@code Strict-Transport-Security} max-age in seconds, or -1 for no header
 * @param hstsIncludeSubDomains add {@code includeSubDomains} to it
 */
record HttpsSettings(TlsKeys keys, boolean http2, long hstsMaxAge, boolean hstsIncludeSubDomains) {

    /**
     * @return {@code null} when no key is configured (plain HTTP)
     * @throws ConfigurationException naming the key whose file is missing, unreadable, or does not match, or whose
     *         value is not accepted
     */
    static HttpsSettings from(WebServerConfig config, boolean production) throws ConfigurationException {
        long maxAge = hstsMaxAge(config, production);
        TlsKeys keys;
        try {
            keys = TlsKeys.configured(config.tlsCertificate(), config.tlsPrivateKey(), config.tlsKeyStore(),
                    config._tlsKeyStorePassword());
        } catch (TlsKeyException e) {
            throw new ConfigurationException(e.property(), e.reason());
        }
        return keys == null ? null : new HttpsSettings(keys, config.http2(), maxAge, config.hstsIncludeSubDomains());
    }

    private static long hstsMaxAge(WebServerConfig config, boolean production) throws ConfigurationException {
        if (config.hstsMaxAge() < 0) {
            throw new ConfigurationException("hstsMaxAge", "must be 0 or more seconds, was " + config.hstsMaxAge());
        }
        // auto: in production only. A browser that saw the header refuses plain HTTP to the host for max-age seconds,
        // which on a developer's localhost outlives the test certificate.
        boolean on = WebSettings.autoFlag("hsts", config.hsts(), production);
        return on ? config.hstsMaxAge() : -1;
    }
}
