package io.herald.server.web.internal;

import java.util.function.Supplier;

import org.eclipse.jetty.http.HttpException;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.io.EofException;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.herald.api.spi.HeraldError;

/**
 * The server's error handler: errors Jetty raises itself (a request it cannot parse, a request during a graceful
 * stop, an exception escaping a handler) get the same JSON as every other error, through the current site's
 * {@link ResponseWriter}, instead of Jetty's HTML page.
 */
final class JettyErrorHandler implements Request.Handler {

    private static final Logger LOG = LoggerFactory.getLogger(JettyErrorHandler.class);

    private final Supplier<Site> site;

    /** @param site the site in force (its writer words the error with the configured headers) */
    JettyErrorHandler(Supplier<Site> site) {
        this.site = site;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        Throwable cause = request.getAttribute(ErrorHandler.ERROR_EXCEPTION) instanceof Throwable t ? t : null;
        if (cause instanceof EofException) {
            // The connection closed under a request Jetty was still holding (a client gone, or one the header timeout
            // cut off while Jetty was refusing its half-sent request): nobody is left to answer, and nothing failed
            // here. Logged as a 500 with its stack trace before, which a loaded machine showed now and then.
            LOG.debug("{} {}: the connection closed first", request.getMethod(), request.getHttpURI().getPath(), cause);
            callback.succeeded();
            return true;
        }
        Site current = site.get();
        ResponseWriter writer = current.writer();
        int status = response.getStatus();
        String message = request.getAttribute(ErrorHandler.ERROR_MESSAGE) instanceof String s ? s : null;
        if (cause instanceof HttpException http) {
            status = http.getCode();
            if (message == null) {
                message = http.getReason();
            }
        }
        if (HttpStatus.hasNoBody(status)) {
            callback.succeeded();
            return true;
        }
        if (message == null || message.equals(HttpStatus.getMessage(status))) {
            message = describe(status);
        }
        switch (status) {
            case 404 -> writer.writeError(request, response, callback, status, HeraldError.NOT_FOUND, request.getHttpURI().getPath());
            case 405 -> writer.writeError(request, response, callback, status, HeraldError.METHOD_NOT_ALLOWED, request.getMethod());
            case 413 -> writer.writeError(request, response, callback, status, HeraldError.BODY_TOO_LARGE,
                    current.settings().maxBodySize());
            case 415 -> writer.writeError(request, response, callback, status, HeraldError.UNSUPPORTED_MEDIA_TYPE, message);
            case 503 -> writer.writeError(request, response, callback, status, HeraldError.SERVER_SHUTTING_DOWN);
            // HTTP/0.9, HTTP/9.9, HTTP/2.0 on an HTTP/1 connection: the client's mistake, never a 500.
            case 505, 426 -> writer.writeError(request, response, callback, 505, HeraldError.HTTP_VERSION_NOT_SUPPORTED,
                    "send HTTP/1.1 or HTTP/1.0");
            case 408 -> writer.writeError(request, response, callback, status, HeraldError.REQUEST_TIMEOUT,
                    "nothing arrived for a while");
            default -> {
                if (status >= 500) {
                    writer.writeUnexpected(request, response, callback,
                            cause != null ? cause : new IllegalStateException(status + " " + message));
                } else {
                    // Jetty's own status (414, 431, ...) is kept: it says more than a plain 400.
                    writer.writeError(request, response, callback, status, HeraldError.MALFORMED_REQUEST, message);
                }
            }
        }
        return true;
    }

    /**
     * Words a status Jetty gave without detail. Jetty refuses requests it cannot parse before any handler sees them,
     * and then replaces their URI, so the status is all there is to go on.
     */
    private static String describe(int status) {
        return switch (status) {
            case 400 -> "the request line or a header is invalid (for example a bad percent-encoding in the path)";
            case 414 -> "the URI is too long";
            case 431 -> "the request headers are too large";
            default -> HttpStatus.getMessage(status);
        };
    }
}
