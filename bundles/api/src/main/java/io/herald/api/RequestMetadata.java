package io.herald.api;

import java.util.List;
import java.util.Map;

import org.osgi.annotation.versioning.ProviderType;

/**
 * What the transport knows of the request beyond its params: headers, cookies and whether it came over TLS. The web
 * transport gives the HTTP request's; a stateful transport gives what it had when the connection opened (a WebSocket's
 * upgrade request); the spec helper gives what the test set. Header names are case-insensitive.
 *
 * @since 1.1
 */
@ProviderType
public interface RequestMetadata {

    /** The first value of a header, or {@code null}. */
    String header(String name);

    /** Every value of a header, in the order received; empty when absent. */
    List<String> headers(String name);

    /** One cookie's value, or {@code null}. When a cookie is sent twice, the first wins (RFC 6265's order). */
    String cookie(String name);

    /** Every cookie sent, by name. */
    Map<String, String> cookies();

    /**
     * Whether the request came over TLS: directly, or through a proxy the transport trusts that said so
     * ({@code X-Forwarded-Proto: https}).
     */
    boolean secure();

    /** No headers, no cookies, not secure: an in-process call, a task's. */
    static RequestMetadata none() {
        return MapRequestMetadata.NONE;
    }

    /**
     * Metadata from maps, for transports that keep their own and for tests.
     *
     * @param headers header values by name (any case)
     * @param cookies cookie values by name
     */
    static RequestMetadata of(Map<String, List<String>> headers, Map<String, String> cookies, boolean secure) {
        return new MapRequestMetadata(headers, cookies, secure);
    }
}
