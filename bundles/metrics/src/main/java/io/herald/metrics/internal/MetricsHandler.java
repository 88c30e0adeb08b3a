package io.herald.metrics.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;

import io.herald.api.Connection;
import io.herald.api.RequestMetadata;
import io.herald.api.spi.Authenticator;
import io.herald.api.spi.ClientInfo;
import io.herald.api.spi.HeraldError;
import io.herald.api.spi.Messages;
import io.herald.api.spi.TransportConnection;
import io.herald.core.json.HeraldJson;

import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves the metrics at exactly {@code path}: GET or HEAD, for callers {@link ScrapeAccess} lets in; other methods
 * answer 405, refusals and failures answer {@code {"error": "..."}} as every error of the web server does. It runs on
 * the web server's port (a Jetty {@code Handler} service the web server runs under its path, with the
 * {@link ClientInfo} it established) or on the metrics port ({@link MetricsListener}, where the request's own address
 * and headers are used). Blocking: a scrape asks the task store and every health indicator.
 */
final class MetricsHandler extends Handler.Abstract {

    private static final Logger LOG = LoggerFactory.getLogger(MetricsHandler.class);

    private final String path;
    private final String serverName;
    private final NodeMetrics metrics;
    private final ScrapeAccess access;
    private final Supplier<Authenticator> authenticator;
    private final Supplier<Messages> messages;
    private final JettyMetrics jetty;

    /**
     * @param serverName the {@code server} tag of this server's Jetty metrics: {@code web} or {@code metrics}
     */
    MetricsHandler(String path, String serverName, NodeMetrics metrics, ScrapeAccess access,
            Supplier<Authenticator> authenticator, Supplier<Messages> messages) {
        this.path = path;
        this.serverName = serverName;
        this.metrics = metrics;
        this.access = access;
        this.authenticator = authenticator;
        this.messages = messages;
        this.jetty = new JettyMetrics(metrics.registry());
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        if (getServer() != null) {
            jetty.bind(getServer(), serverName);
        }
    }

    @Override
    protected void doStop() throws Exception {
        jetty.unbind();
        super.doStop();
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        String requested = request.getHttpURI().getPath();
        if (!path.equals(requested) && !(path + "/").equals(requested)) {
            return false;
        }
        String method = request.getMethod();
        boolean head = HttpMethod.HEAD.is(method);
        if (!head && !HttpMethod.GET.is(method)) {
            response.getHeaders().put(HttpHeader.ALLOW, "GET, HEAD");
            error(response, callback, HttpStatus.METHOD_NOT_ALLOWED_405, wording().format(HeraldError.METHOD_NOT_ALLOWED, method));
            return true;
        }
        ClientInfo client = client(request);
        ScrapeAccess.Refusal refusal = access.check(authenticator.get(), wording(), client.metadata(), connection(client));
        if (refusal != null) {
            refusal.headers().forEach((name, value) -> response.getHeaders().put(name, value));
            error(response, callback, refusal.status(), refusal.error());
            return true;
        }
        NodeMetrics.Scrape scrape;
        try {
            scrape = metrics.scrape(request.getHeaders().get(HttpHeader.ACCEPT));
        } catch (IOException | RuntimeException e) {
            LOG.error("metrics could not be collected: {}", e.toString(), e);
            error(response, callback, HttpStatus.INTERNAL_SERVER_ERROR_500, "metrics could not be collected");
            return true;
        }
        response.setStatus(HttpStatus.OK_200);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, scrape.contentType());
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, scrape.body().length);
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        if (head) {
            callback.succeeded();
        } else {
            response.write(true, ByteBuffer.wrap(scrape.body()), callback);
        }
        return true;
    }

    /** Answers 404 for a path of the metrics port that is not the metrics path. */
    void notFound(Request request, Response response, Callback callback) {
        error(response, callback, HttpStatus.NOT_FOUND_404, wording().format(HeraldError.NOT_FOUND,
                request.getHttpURI().getPath()));
    }

    private Messages wording() {
        Messages current = messages.get();
        return current == null ? Messages.defaults() : current;
    }

    /** The client as the web server established it; on the metrics port, from the request itself. */
    private static ClientInfo client(Request request) {
        if (request.getAttribute(ClientInfo.ATTRIBUTE) instanceof ClientInfo info) {
            return info;
        }
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (HttpField field : request.getHeaders()) {
            headers.computeIfAbsent(field.getName(), name -> new ArrayList<>()).add(field.getValue());
        }
        return new ClientInfo(Request.getRemoteAddr(request), Request.getRemotePort(request), "",
                RequestMetadata.of(headers, Map.of(), request.isSecure()));
    }

    private static Connection connection(ClientInfo client) {
        return new TransportConnection(UUID.randomUUID().toString(), Connection.WEB, client.ip(), client.port(),
                client.fingerprint());
    }

    private static void error(Response response, Callback callback, int status, String message) {
        byte[] body;
        try {
            body = HeraldJson.mapper().writeValueAsBytes(Map.of("error", message));
        } catch (IOException e) {
            throw new IllegalStateException("a one-string map is always JSON", e);
        }
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json; charset=utf-8");
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
        response.write(true, ByteBuffer.wrap(body), callback);
    }
}
