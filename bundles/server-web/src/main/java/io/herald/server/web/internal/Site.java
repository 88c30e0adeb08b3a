package io.herald.server.web.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.function.Supplier;

import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Server;
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
        ActionHandler actions = new ActionHandler(settings.actionsPath(), runner, routes,
                new RequestBody(settings.maxBodySize(), mapper), new Fingerprints(settings.fingerprintCookie()), metadata, writer,
                settings.trustedProxies());
        List<Handler> handlers = new ArrayList<>();
        handlers.add(actions);
        handlers.addAll(StaticFiles.handlers(settings.staticFiles(), settings.responseHeaders(), writer));
        handlers.add(new NotFoundHandler(writer));
        return new Site(settings, routes, writer, new Handler.Sequence(handlers));
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
}
