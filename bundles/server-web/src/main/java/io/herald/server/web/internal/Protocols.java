package io.herald.server.web.internal;

/**
 * What a listener speaks; part of its identity, with its {@link ListenAddress}: a configuration change that changes
 * either needs a new listener, while new keys for the same protocols are loaded into the running one.
 *
 * @param tls HTTPS
 * @param http2 HTTP/2 over TLS (ALPN); false without TLS
 * @param h2c HTTP/2 in clear text; false with TLS
 */
record Protocols(boolean tls, boolean http2, boolean h2c) {

    /** The URL scheme, for the log. */
    String scheme() {
        return tls ? "https" : "http";
    }
}
