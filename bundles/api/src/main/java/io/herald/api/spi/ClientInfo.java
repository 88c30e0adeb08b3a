package io.herald.api.spi;

import io.herald.api.RequestMetadata;

/**
 * Who the client of an HTTP request is, as the web server established it (its trusted proxies, its fingerprint
 * cookie), handed to a handler that serves another protocol on the web server's port (the WebSocket upgrade) as the
 * request attribute {@value #ATTRIBUTE}. So every transport on that port sees the same address and fingerprint.
 *
 * @param ip the client's address
 * @param port the client's port, or 0 when unknown
 * @param fingerprint the client's fingerprint (the same as its HTTP calls get)
 * @param metadata the request's headers, cookies and TLS
 * @since 1.5
 */
public record ClientInfo(String ip, int port, String fingerprint, RequestMetadata metadata) {

    /** The request attribute holding it. */
    public static final String ATTRIBUTE = "io.herald.api.spi.ClientInfo";

    /** The service property of a Jetty {@code Handler} service that the web server runs for requests under this path. */
    public static final String WEB_PATH_PROPERTY = "herald.web.path";
}
