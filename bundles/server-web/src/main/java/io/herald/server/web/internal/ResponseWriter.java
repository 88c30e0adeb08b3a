package io.herald.server.web.internal;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.function.Supplier;

import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpHeaderValue;
import org.eclipse.jetty.http.PreEncodedHttpField;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.herald.core.LogText;
import io.herald.api.ResponseCookie;
import io.herald.api.spi.HeraldError;
import io.herald.api.spi.Messages;

/**
 * Writes every response of the web server: action results, and the error boundary of this bundle. Every error
 * response, whether this bundle refused the request, Jetty did (a bad request line, a graceful stop), or something
 * failed unexpectedly, is {@code {"error": "..."}} worded by {@link Messages} from a {@link HeraldError}, with the
 * catalogue's status.
 */
final class ResponseWriter {

    private static final Logger LOG = LoggerFactory.getLogger(ResponseWriter.class);
    private static final HttpField JSON_CONTENT_TYPE =
            new PreEncodedHttpField(HttpHeader.CONTENT_TYPE, "application/json; charset=utf-8");
    private static final HttpField JAVASCRIPT_CONTENT_TYPE =
            new PreEncodedHttpField(HttpHeader.CONTENT_TYPE, "application/javascript; charset=utf-8");
    /** A JSONP answer must run as a script and never be sniffed as anything else. */
    private static final HttpField NOSNIFF = new PreEncodedHttpField("X-Content-Type-Options", "nosniff");
    /**
     * Before a JSONP callback: a comment, so the body never starts with bytes of the client's choosing (Express and
     * Google prefix {@code /**}{@code /} against content sniffing attacks such as Rosetta Flash).
     */
    private static final byte[] JSONP_PREFIX = "/**/ ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] JSONP_SUFFIX = ");".getBytes(StandardCharsets.US_ASCII);
    /** The methods the action handler serves (the routes file's verbs). */
    static final String ALLOWED_METHODS = "GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS";
    private static final byte[] LAST_RESORT_ERROR = "{\"error\":\"internal error\"}".getBytes(StandardCharsets.UTF_8);
    private static final HttpField CONNECTION_CLOSE = new PreEncodedHttpField(HttpHeader.CONNECTION, HttpHeaderValue.CLOSE.asString());
    /**
     * Retry-After of a 503 while the server stops: the request was not run, so it can be sent again at once, and behind a
     * load balancer another node takes it; a lone node is back after its restart.
     */
    private static final HttpField RETRY_AFTER = new PreEncodedHttpField(HttpHeader.RETRY_AFTER, "1");

    /** The most characters of a refused request's URI (and of its error) a log line shows. */
    private static final int MAX_LOGGED_URI = 200;

    private final ObjectMapper mapper;
    private final HttpField[] headers;
    private final Supplier<Messages> messages;
    private final BodyDrain drain;
    private final Predicate<Connector> closing;

    /**
     * @param drain what happens to the rest of a body refused with 413
     * @param closing whether the listener a connection came through is closing
     */
    ResponseWriter(ObjectMapper mapper, List<WebSettings.Header> headers, Supplier<Messages> messages, BodyDrain drain,
            Predicate<Connector> closing) {
        this.mapper = mapper;
        this.headers = headers.stream()
                .map(h -> new PreEncodedHttpField(h.name(), h.value()))
                .toArray(HttpField[]::new);
        this.messages = messages;
        this.drain = drain;
        this.closing = closing;
    }

    /**
     * Writes a response body as JSON with one buffer.
     *
     * @param extraHeaders headers that override the configured ones (an action's), or an empty map
     * @param setCookie a {@code Set-Cookie} value, or {@code null}
     * @param cookies the cookies an action or middleware set
     * @throws JsonProcessingException when the body cannot be serialized; nothing has been written then
     */
    void writeJson(Response response, Callback callback, int status, Map<String, Object> body,
            Map<String, String> extraHeaders, String setCookie, List<ResponseCookie> cookies) throws JsonProcessingException {
        writeJson(response, callback, status, body, extraHeaders, setCookie, cookies, null);
    }

    /**
     * The same, as JSONP when {@code jsonpCallback} is given: {@code /**}{@code / callback(json);} with
     * {@code Content-Type: application/javascript} and {@code X-Content-Type-Options: nosniff}.
     *
     * @param jsonpCallback a name checked by {@link Jsonp#callback}, or {@code null} for plain JSON
     */
    void writeJson(Response response, Callback callback, int status, Map<String, Object> body,
            Map<String, String> extraHeaders, String setCookie, List<ResponseCookie> cookies, String jsonpCallback)
            throws JsonProcessingException {
        byte[] bytes = mapper.writeValueAsBytes(body);
        if (jsonpCallback != null) {
            bytes = jsonp(jsonpCallback, bytes);
        }
        response.setStatus(status);
        HttpFields.Mutable fields = response.getHeaders();
        if (jsonpCallback != null) {
            fields.put(JAVASCRIPT_CONTENT_TYPE);
            fields.put(NOSNIFF);
        } else {
            fields.put(JSON_CONTENT_TYPE);
        }
        for (HttpField header : headers) {
            fields.put(header);
        }
        if (setCookie != null) {
            fields.add(HttpHeader.SET_COOKIE, setCookie);
        }
        for (ResponseCookie cookie : cookies) {
            fields.add(HttpHeader.SET_COOKIE, cookie.headerValue());
        }
        // Headers set by the action come last and win, as in Actionhero's cleanHeaders.
        for (Map.Entry<String, String> header : extraHeaders.entrySet()) {
            if (header.getKey() != null && header.getValue() != null) {
                fields.put(header.getKey(), header.getValue());
            }
        }
        if (closing.test(response.getRequest().getConnectionMetaData().getConnector())) {
            // The listener this connection came through is closing (the server stops, or moved to another address):
            // said in the headers, so the client opens its next connection elsewhere instead of reusing this one.
            fields.put(CONNECTION_CLOSE);
        }
        fields.put(HttpHeader.CONTENT_LENGTH, bytes.length);
        response.write(true, ByteBuffer.wrap(bytes), callback);
    }

    private static byte[] jsonp(String name, byte[] json) {
        byte[] callbackName = name.getBytes(StandardCharsets.US_ASCII);
        byte[] out = new byte[JSONP_PREFIX.length + callbackName.length + 1 + json.length + JSONP_SUFFIX.length];
        int at = 0;
        System.arraycopy(JSONP_PREFIX, 0, out, at, JSONP_PREFIX.length);
        at += JSONP_PREFIX.length;
        System.arraycopy(callbackName, 0, out, at, callbackName.length);
        at += callbackName.length;
        out[at++] = '(';
        System.arraycopy(json, 0, out, at, json.length);
        at += json.length;
        System.arraycopy(JSONP_SUFFIX, 0, out, at, JSONP_SUFFIX.length);
        return out;
    }

    /** Answers without a body (a CORS preflight's 204), with the configured headers. */
    void writeEmpty(Response response, Callback callback, int status) {
        response.setStatus(status);
        HttpFields.Mutable fields = response.getHeaders();
        for (HttpField header : headers) {
            fields.put(header);
        }
        if (closing.test(response.getRequest().getConnectionMetaData().getConnector())) {
            fields.put(CONNECTION_CLOSE);
        }
        response.write(true, null, callback);
    }

    /** Answers a request this bundle refused. */
    void writeError(Request request, Response response, Callback callback, WebException refusal) {
        writeError(request, response, callback, refusal.error().status(), refusal.error(), refusal.args());
    }

    /**
     * Answers with an error from the catalogue.
     *
     * @param status the HTTP status: the catalogue's, unless Jetty named a more precise one (431, 414, ...)
     */
    void writeError(Request request, Response response, Callback callback, int status, HeraldError error, Object... args) {
        String message = format(error, args);
        if (error != HeraldError.INTERNAL_ERROR && error != HeraldError.SERVER_SHUTTING_DOWN) {
            // One bounded line per refused request, as the action log has one per action: what the client sent is
            // escaped and cut, so it cannot forge lines or fill the log.
            LOG.info("[refused @ web] to={} {} {} status={} error=\"{}\"", Request.getRemoteAddr(request),
                    LogText.cut(request.getMethod(), 20), LogText.cut(request.getHttpURI().getPathQuery(), MAX_LOGGED_URI),
                    status, LogText.cut(message, MAX_LOGGED_URI));
        }
        if (response.isCommitted()) {
            // Too late for an answer: the client sees the connection end.
            callback.failed(new IllegalStateException(message));
            return;
        }
        // The CORS handler's headers outlive the reset: a page must be able to read the error, not see a CORS failure.
        List<HttpField> cors = corsHeaders(response.getHeaders());
        // Jetty's SecureRequestCustomizer put Strict-Transport-Security on the response before any handler ran; an
        // error answer over HTTPS carries it too.
        HttpField hsts = response.getHeaders().getField(HttpHeader.STRICT_TRANSPORT_SECURITY);
        response.reset();
        cors.forEach(response.getHeaders()::add);
        if (hsts != null) {
            response.getHeaders().put(hsts);
        }
        if (error == HeraldError.BODY_TOO_LARGE) {
            // The rest of the body is not read as a request: the connection cannot carry another one. Jetty ends the
            // response with a half-close; the body is then drained (bounded) before the close, so that a client still
            // sending it reads this 413 instead of a connection reset.
            response.getHeaders().put(CONNECTION_CLOSE);
            callback = drain.afterResponse(request, callback);
        } else if (error == HeraldError.REQUEST_TIMEOUT) {
            // The rest of a slow body is not waited for: the connection closes after this answer.
            response.getHeaders().put(CONNECTION_CLOSE);
        } else if (error == HeraldError.SERVER_SHUTTING_DOWN) {
            // Requests arriving on open connections while the server stops (Jetty's GracefulHandler refuses them), or
            // while the core's runner is being replaced: say when to come back, and close this connection so the next
            // attempt opens a new one (to another node behind a load balancer).
            response.getHeaders().put(RETRY_AFTER);
            response.getHeaders().put(CONNECTION_CLOSE);
        } else if (error == HeraldError.METHOD_NOT_ALLOWED) {
            response.getHeaders().put(HttpHeader.ALLOW, ALLOWED_METHODS);
        }
        try {
            writeJson(response, callback, status, Collections.singletonMap("error", message), Map.of(), null,
                    List.of());
        } catch (JsonProcessingException e) {
            response.setStatus(500);
            response.write(true, ByteBuffer.wrap(LAST_RESORT_ERROR), callback);
        }
    }

    private static List<HttpField> corsHeaders(HttpFields fields) {
        List<HttpField> kept = null;
        for (HttpField field : fields) {
            String name = field.getName();
            if (field.getHeader() == HttpHeader.VARY || name.regionMatches(true, 0, "Access-Control-", 0, 15)) {
                if (kept == null) {
                    kept = new java.util.ArrayList<>(4);
                }
                kept.add(field);
            }
        }
        return kept == null ? List.of() : kept;
    }

    /** Answers 500 for a failure nobody expected, logged with a reference the client is given. */
    void writeUnexpected(Request request, Response response, Callback callback, Throwable failure) {
        String reference = UUID.randomUUID().toString();
        LOG.error("{} {} failed (reference {})", request.getMethod(), request.getHttpURI().getPathQuery(), reference, failure);
        writeError(request, response, callback, HeraldError.INTERNAL_ERROR.status(), HeraldError.INTERNAL_ERROR, reference);
    }

    private String format(HeraldError error, Object... args) {
        Messages current = messages.get();
        if (current != null) {
            try {
                return current.format(error, args);
            } catch (RuntimeException e) {
                LOG.warn("the message catalogue failed to word {}; using the default wording", error, e);
            }
        }
        return Messages.defaults().format(error, args);
    }
}
