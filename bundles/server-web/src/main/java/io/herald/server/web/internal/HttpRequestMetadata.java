package io.herald.server.web.internal;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.herald.api.RequestMetadata;

import org.eclipse.jetty.http.HttpCookie;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;

/**
 * The HTTP request's headers and cookies as middleware reads them, straight from Jetty's fields: nothing is copied
 * unless asked for, and most calls ask for one header at most. Valid while the call runs.
 */
final class HttpRequestMetadata implements RequestMetadata {

    private final Request request;
    private final boolean secure;
    private Map<String, String> cookies;

    /** @param secure whether the client's request came over TLS, here or to a trusted proxy ({@link ClientAddress}) */
    HttpRequestMetadata(Request request, boolean secure) {
        this.request = request;
        this.secure = secure;
    }

    @Override
    public String header(String name) {
        return request.getHeaders().get(name);
    }

    @Override
    public List<String> headers(String name) {
        List<String> values = request.getHeaders().getValuesList(name);
        return values.isEmpty() ? List.of() : Collections.unmodifiableList(values);
    }

    @Override
    public String cookie(String name) {
        return cookies().get(name);
    }

    @Override
    public Map<String, String> cookies() {
        if (cookies == null) {
            Map<String, String> parsed = new LinkedHashMap<>();
            if (request.getHeaders().contains(HttpHeader.COOKIE)) {
                // Jetty's RFC 6265 parser; the first of two cookies with one name wins, as RFC 6265 orders them.
                for (HttpCookie cookie : Request.getCookies(request)) {
                    parsed.putIfAbsent(cookie.getName(), cookie.getValue());
                }
            }
            cookies = Collections.unmodifiableMap(parsed);
        }
        return cookies;
    }

    /**
     * A copy that outlives the request: for a connection opened by it (a WebSocket upgrade), whose calls carry the
     * upgrade request's headers and cookies for as long as it lives.
     */
    RequestMetadata snapshot() {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (org.eclipse.jetty.http.HttpField field : request.getHeaders()) {
            headers.computeIfAbsent(field.getName(), k -> new java.util.ArrayList<>()).add(field.getValue());
        }
        return RequestMetadata.of(headers, cookies(), secure);
    }

    @Override
    public boolean secure() {
        return secure;
    }
}
