package io.herald.server.web.internal;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
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
import io.herald.core.RequestIds;

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
 * a virtual thread on Java 21 and later. A body is read as it arrives without holding that thread
 * ({@link RequestBody#read}); the action runs in a continuation once the body is complete.
 *
 * <p>Each call has a request id for the logs: the client's {@code X-Request-Id} when {@link RequestIds#valid} (a proxy
 * in front often sets one, as Heroku's router and nginx's {@code $request_id} do), else the call's messageId. It goes to
 * the core with the call (its action log line shows it) and back to the client in {@code X-Request-Id}.
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
        if (HttpMethod.OPTIONS.is(request.getMethod()) && !isPreflight(request)) {
            answerOptions(response, callback);
            return;
        }
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
        RequestBody.Kind kind = body.kind(request, verb != RouteSet.Verb.GET && verb != RouteSet.Verb.HEAD);
        if (kind == null) {
            run(request, response, callback, verb, params, segments, null);
            return;
        }
        // The body is read as it arrives, holding no thread meanwhile; the action runs once it is complete.
        body.read(request, kind, new RequestBody.Next() {
            @Override
            public void body(RequestBody.Received received) {
                guarded(request, response, callback, () -> {
                    Uploads uploads = body.parseInto(kind, received, params, fields.forBody("the body"));
                    try {
                        run(request, response, callback, verb, params, segments, uploads);
                    } finally {
                        if (uploads != null) {
                            // After the action, whatever its outcome: the files are no one's any more.
                            uploads.close();
                        }
                    }
                });
            }

            @Override
            public void refused(WebException refusal) {
                writer.writeError(request, response, callback, refusal);
            }
        });
    }

    /** A step that may refuse the request or fail. */
    private interface Step {

        void run() throws Exception;
    }

    /** Runs {@code step}, answering its refusal or failure as {@link #handle} does. */
    private void guarded(Request request, Response response, Callback callback, Step step) {
        try {
            step.run();
        } catch (WebException refusal) {
            writer.writeError(request, response, callback, refusal);
        } catch (Exception | LinkageError | AssertionError | StackOverflowError failure) {
            writer.writeUnexpected(request, response, callback, failure);
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

        String requestId = RequestIds.orElse(request.getHeaders().get(RequestIds.HEADER), messageId);
        ActionRequest actionRequest = ActionRequest.of(action, params, connection)
                .withMetadata(new HttpRequestMetadata(request, address.secure())).withRequestId(requestId);
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
        response.getHeaders().put(RequestIds.HEADER, requestId);
        writer.writeJson(response, callback, status, responseBody, result.headers() == null ? Map.of() : result.headers(),
                setCookie, result.cookies(), jsonp);
    }

    /**
     * Actionhero answers {@code OPTIONS} on any path with an empty 200 ({@code respondToOptions} in its web server),
     * without looking the action up; here with {@code Allow} listing the methods (RFC 9110 9.3.7), so a client or a
     * tool that asks learns what it may send. Actionhero adds its default CORS headers as well; here CORS is the CORS
     * policy's alone ({@code corsAllowedOrigins}): Jetty's {@code CrossOriginHandler} has already added them when the
     * request's {@code Origin} is allowed.
     */
    private void answerOptions(Response response, Callback callback) {
        response.getHeaders().put(HttpHeader.ALLOW, ResponseWriter.ALLOWED_METHODS);
        writer.writeEmpty(response, callback, 200);
    }

    /**
     * A CORS preflight that reached this handler found no CORS policy in front of it (none configured, production's
     * default): it keeps its 405, which the browser takes as a refusal, rather than a 200 that reads as a welcome.
     */
    private static boolean isPreflight(Request request) {
        return request.getHeaders().contains(HttpHeader.ORIGIN)
                && request.getHeaders().contains(HttpHeader.ACCESS_CONTROL_REQUEST_METHOD);
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
