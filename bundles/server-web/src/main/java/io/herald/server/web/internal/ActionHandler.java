package io.herald.server.web.internal;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.Invocable;

import io.herald.api.Connection;
import io.herald.api.spi.ActionRequest;
import io.herald.api.spi.ActionResult;
import io.herald.api.spi.ActionRunner;
import io.herald.api.spi.HeraldError;
import io.herald.api.spi.TransportConnection;

/**
 * Serves {@code <urlPathForActions>/...}: builds the params and the connection, runs the action through the core's
 * {@link ActionRunner}, and writes the result as JSON. Paths elsewhere are left to the next handler.
 *
 * <p>Params are merged as Actionhero's web server does ({@code determineRequestParams}, {@code processRoute}), later
 * sources replacing earlier ones: the query string, then the body, then the route's path variables; a route's action
 * replaces an {@code action} param. The {@code action} param names the action only on {@code <urlPathForActions>}
 * itself ({@code /api?action=status}). A route's {@code apiVersion} applies when the client sent none. Bracket names
 * ({@code user[name]=x}) become nested params ({@link BracketParams}); a multipart body's files are
 * {@link io.herald.api.UploadedFile} params, deleted once the action has answered. With JSONP on, a {@code callback}
 * param wraps the answer ({@link Jsonp}).
 *
 * <p>The runner blocks, so this handler is {@link Invocable.InvocationType#BLOCKING}: Jetty runs it on a pool thread,
 * a virtual thread on Java 21 and later.
 */
final class ActionHandler extends Handler.Abstract {

    private final List<String> actionsPath;
    private final Supplier<ActionRunner> runner;
    private final RoutesFile routes;
    private final RequestBody body;
    private final Fingerprints fingerprints;
    private final ResponseMetadata metadata;
    private final ResponseWriter writer;
    private final TrustedProxies proxies;
    private final RequestSettings limits;
    private final ActionNames names;

    ActionHandler(List<String> actionsPath, Supplier<ActionRunner> runner, RoutesFile routes, RequestBody body,
            Fingerprints fingerprints, ResponseMetadata metadata, ResponseWriter writer, TrustedProxies proxies,
            RequestSettings limits, ActionNames names) {
        super(Invocable.InvocationType.BLOCKING);
        this.actionsPath = actionsPath;
        this.runner = runner;
        this.routes = routes;
        this.body = body;
        this.fingerprints = fingerprints;
        this.metadata = metadata;
        this.writer = writer;
        this.proxies = proxies;
        this.limits = limits;
        this.names = names;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        List<String> rawSegments = PathSegments.split(request.getHttpURI().getPath());
        if (!PathSegments.startsWith(rawSegments, actionsPath)) {
            return false;
        }
        try {
            serve(request, response, callback, rawSegments);
        } catch (WebException refusal) {
            writer.writeError(request, response, callback, refusal);
        } catch (Exception | LinkageError | AssertionError | StackOverflowError failure) {
            // LinkageError: a bundle was refreshed under a request in flight; the client still gets JSON.
            writer.writeUnexpected(request, response, callback, failure);
        }
        return true;
    }

    private void serve(Request request, Response response, Callback callback, List<String> rawSegments) throws Exception {
        RouteSet.Verb verb = verb(request.getMethod());
        Map<String, Object> params = new LinkedHashMap<>();
        String query = request.getHttpURI().getQuery();
        if (query != null && query.length() > limits.maxQueryLength()) {
            throw new WebException(HeraldError.QUERY_TOO_LONG, limits.maxQueryLength());
        }
        BracketParams fields = new BracketParams(params, true, limits.maxFormFields(), limits.maxBracketDepth(),
                "the query string");
        if (query != null && !query.isEmpty()) {
            FormDecoder.decodeInto(query, fields, "the query string");
        }
        List<String> segments = PathSegments.decode(rawSegments, actionsPath.size());
        Uploads uploads = body.readInto(request, verb != RouteSet.Verb.GET && verb != RouteSet.Verb.HEAD, params,
                fields.forBody("the body"));
        try {
            run(request, response, callback, verb, params, segments, uploads);
        } finally {
            if (uploads != null) {
                // After the action, whatever its outcome: the response is written, the files are no one's any more.
                uploads.close();
            }
        }
    }

    private void run(Request request, Response response, Callback callback, RouteSet.Verb verb, Map<String, Object> params,
            List<String> segments, Uploads uploads) throws Exception {
        RouteMatch match = routes.current().match(verb, segments);
        String action = null;
        if (match != null) {
            action = match.action();
            if (match.variables().isEmpty() && segments.size() == 1 && action.equals(segments.get(0))) {
                // The automatic route /api/<action>, whose name is compared ignoring case (/api/ECHO runs echo).
                action = names.canonical(action);
            }
            params.putAll(match.variables());
            params.put("action", action);
        } else if (!segments.isEmpty()) {
            // A path no route names: the action param does not apply here, only on urlPathForActions itself.
            params.remove("action");
        }
        String jsonp = limits.jsonp() ? Jsonp.callback(params.get("callback")) : null;

        ActionRunner current = runner.get();
        if (current == null) {
            throw new WebException(HeraldError.SERVER_SHUTTING_DOWN);
        }
        long now = System.currentTimeMillis();
        ClientAddress address = ClientAddress.of(request, proxies);
        String fingerprint = fingerprints.fromRequest(request);
        String setCookie = null;
        if (fingerprint == null) {
            fingerprint = fingerprints.newFingerprint();
            setCookie = fingerprints.setCookie(fingerprint, now, address.secure());
        }
        String messageId = messageId();
        TransportConnection connection = new TransportConnection(fingerprint + "-" + messageId, Connection.WEB,
                address.ip(), address.port(), fingerprint);

        ActionRequest actionRequest = ActionRequest.of(action, params, connection)
                .withMetadata(new HttpRequestMetadata(request, address.secure()));
        if (match != null && match.apiVersion() > 0 && isBlank(params.get("apiVersion"))) {
            actionRequest = actionRequest.withApiVersion(match.apiVersion());
        }
        ActionResult result = current.run(actionRequest);
        if (uploads != null) {
            // Before the answer is sent: a client that reads it finds the files gone.
            uploads.close();
        }

        Map<String, Object> responseBody = result.response();
        if (result.responseMetadata() && (metadata.serverInformation() || metadata.requesterInformation())) {
            responseBody = new LinkedHashMap<>(responseBody);
            if (metadata.serverInformation()) {
                responseBody.put("serverInformation", metadata.server(Request.getTimeStamp(request), System.currentTimeMillis()));
            }
            if (metadata.requesterInformation()) {
                // ActionRequest.of copied the params, so these are the ones the client sent, before the runner's scrubbing.
                responseBody.put("requesterInformation", metadata.requester(connection, messageId, params));
            }
        }
        int status = result.status() >= 100 && result.status() <= 599 ? result.status() : 500;
        writer.writeJson(response, callback, status, responseBody, result.headers() == null ? Map.of() : result.headers(),
                setCookie, result.cookies(), jsonp);
    }

    private static RouteSet.Verb verb(String method) throws WebException {
        switch (method) {
            case "GET":
                return RouteSet.Verb.GET;
            case "POST":
                return RouteSet.Verb.POST;
            case "PUT":
                return RouteSet.Verb.PUT;
            case "PATCH":
                return RouteSet.Verb.PATCH;
            case "DELETE":
                return RouteSet.Verb.DELETE;
            case "HEAD":
                return RouteSet.Verb.HEAD;
            default:
                throw new WebException(HeraldError.METHOD_NOT_ALLOWED, method);
        }
    }

    /**
     * A version 4 UUID, as Actionhero's messageId. Message ids are not secrets (the fingerprint is), so they come from
     * the thread's fast generator rather than the locked SecureRandom behind {@link UUID#randomUUID()}.
     */
    private static String messageId() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long most = (random.nextLong() & ~0xF000L) | 0x4000L;
        long least = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(most, least).toString();
    }

    private static boolean isBlank(Object value) {
        return value == null || value.toString().isBlank();
    }
}
