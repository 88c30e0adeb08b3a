package io.herald.server.web.internal;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

import io.herald.api.spi.HeraldError;

/**
 * Answers CORS preflights ({@code OPTIONS} with {@code Origin} and {@code Access-Control-Request-Method}), behind
 * Jetty's {@code CrossOriginHandler}, which has already added the {@code Access-Control-Allow-*} headers when the
 * origin is allowed: then {@code 204} without a body; else {@code 403} in the catalogue's words and no CORS header, so
 * the browser refuses the call. Actionhero answers every {@code OPTIONS} with an empty 200 and its CORS headers;
 * other {@code OPTIONS} requests here go on to the action handler (405).
 */
final class PreflightHandler extends Handler.Wrapper {

    private final ResponseWriter writer;

    PreflightHandler(Handler next, ResponseWriter writer) {
        super(next);
        this.writer = writer;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        if (!HttpMethod.OPTIONS.is(request.getMethod())
                || !request.getHeaders().contains(HttpHeader.ACCESS_CONTROL_REQUEST_METHOD)
                || !request.getHeaders().contains(HttpHeader.ORIGIN)) {
            return super.handle(request, response, callback);
        }
        if (response.getHeaders().contains(HttpHeader.ACCESS_CONTROL_ALLOW_ORIGIN)) {
            writer.writeEmpty(response, callback, 204);
        } else {
            writer.writeError(request, response, callback, HeraldError.ORIGIN_NOT_ALLOWED.status(),
                    HeraldError.ORIGIN_NOT_ALLOWED, printable(request.getHeaders().get(HttpHeader.ORIGIN)));
        }
        return true;
    }

    /** The origin as shown in the error: printable ASCII, at most 100 characters. */
    private static String printable(String origin) {
        StringBuilder out = new StringBuilder(Math.min(origin.length(), 100));
        for (int i = 0; i < origin.length() && out.length() < 100; i++) {
            char c = origin.charAt(i);
            out.append(c >= ' ' && c < 127 ? c : '?');
        }
        return out.toString();
    }
}
