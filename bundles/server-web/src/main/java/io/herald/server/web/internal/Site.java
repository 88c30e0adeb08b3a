package io.herald.server.web.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import java.util.function.Supplier;

import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.handler.CrossOriginHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.herald.api.spi.ActionRunner;
import io.herald.api.spi.Messages;
import io.herald.api.spi.ServerIdentity;

/**
 * What the server serves under one version of its settings: the routes file, the response writer and the handlers built
 * on them. A live configuration change builds a new site and swaps it in whole ({@link SiteHandler}); a request keeps
 * the site it arrived on until it is answered.
 *
 * @param handler the actions path, then static files, then 404 for anything else; {@link #start started} before the
 *        site is served (the static files' handlers have a life cycle), {@link #stop stopped} once it is retired
 */
record Site(WebSettings settings, RoutesFile routes, ResponseWriter writer, Handler handler) {

    private static final Logger LOG = LoggerFactory.getLogger(Site.class);

    /**
     * @param previous the site in force, whose routes file is kept (with its reload state) when the path is unchanged;
     *        {@code null} at start
     * @param closing whether a connector's listener is closing (its responses then say {@code Connection: close})
     * @throws IllegalArgumentException for a broken routes file, naming it and the entry
     */
    static Site build(WebSettings settings, Site previous, ObjectMapper mapper, Supplier<ActionRunner> runner,
            ServerIdentity identity, Supplier<Messages> messages, Predicate<Connector> closing) {
        RoutesFile routes;
        if (previous != null && previous.routes.file().equals(settings.routesFile())) {
            routes = previous.routes;
        } else {
            routes = new RoutesFile(settings.routesFile(), mapper, System::nanoTime);
            routes.load();
        }
        ResponseWriter writer = new ResponseWriter(mapper, settings.responseHeaders(), messages,
                new BodyDrain(settings.maxDrainSize(), settings.drainTimeoutMillis()), closing);
        ResponseMetadata metadata = new ResponseMetadata(settings.serverInformation(), settings.requesterInformation(),
                identity, runner, System::nanoTime);
        RequestSettings request = settings.request();
        MultipartBody uploads = request.maxUploadSize() == 0 ? null : new MultipartBody(request.uploadDir(),
                request.maxUploadSize(), request.maxUploadFileSize(), settings.maxBodySize(), request.maxFormFields());
        ActionHandler actions = new ActionHandler(settings.actionsPath(), runner, routes,
                new RequestBody(settings.maxBodySize(), settings.clientLimits(), uploads, request.maxUploadSize()),
                new Fingerprints(settings.fingerprintCookie()), metadata, writer, settings.trustedProxies(), request,
                new ActionNames(runner, System::nanoTime));
        List<Handler> handlers = new ArrayList<>();
        handlers.add(actions);
        handlers.addAll(StaticFiles.handlers(settings.staticFiles(), settings.responseHeaders(), writer));
        handlers.add(new NotFoundHandler(writer));
        Handler handler = new Handler.Sequence(handlers);
        if (request.cors() != null) {
            handler = cors(request.cors(), new PreflightHandler(handler, writer));
        }
        return new Site(settings, routes, writer, handler);
    }

    /** Starts the handlers on {@code server} (started itself: Jetty's resource handlers take its buffer pool). */
    void start(Server server) throws Exception {
        handler.setServer(server);
        handler.start();
    }

    /** Stops the handlers; requests still using them may fail, so only once they are done (or out of time). */
    void stop() {
        try {
            handler.stop();
        } catch (Exception e) {
            LOG.warn("web server: the handlers of a previous configuration did "
                    + "not stop cleanly: {}", e.toString());
        }
    }

    /**
     * Jetty's {@link CrossOriginHandler} in front of the site: {@code Vary: Origin} on every response,
     * {@code Access-Control-Allow-Origin} (the request's origin) and the rest for allowed origins; preflights go on to
     * the {@link PreflightHandler}, which answers them.
     */
    private static Handler cors(RequestSettings.Cors cors, Handler next) {
        CrossOriginHandler handler = new CrossOriginHandler();
        handler.setAllowedOriginPatterns(Set.copyOf(cors.originPatterns()));
        handler.setAllowedMethods(Set.copyOf(cors.methods()));
        handler.setAllowedHeaders(Set.copyOf(cors.headers()));
        handler.setExposedHeaders(Set.copyOf(cors.exposedHeaders()));
        handler.setAllowCredentials(cors.allowCredentials());
        handler.setPreflightMaxAge(Duration.ofSeconds(cors.maxAgeSeconds()));
        handler.setDeliverPreflightRequests(true);
        // Other requests from an origin not allowed are served without CORS headers: the browser keeps the answer
        // from the page, and clients that are no browsers are not refused for an Origin header.
        handler.setDeliverNonAllowedOriginRequests(true);
        handler.setHandler(next);
        // Started with the rest of the site (start).
        return handler;
    }
}
