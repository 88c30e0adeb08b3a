package io.herald.server.web.internal;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.herald.api.spi.ClientInfo;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Handlers of other bundles served on this server's port under a path of their own (the WebSocket server's
 * {@code /ws}, so one nginx upstream serves both): Jetty {@link Handler} services with the property
 * {@value ClientInfo#WEB_PATH_PROPERTY}. Before one runs, the request gets the {@link ClientInfo} this server
 * establishes for its own requests: the client's address through the trusted proxies, and its fingerprint (a new one
 * is handed out with a {@code Set-Cookie} on the response), so a browser's WebSocket and its HTTP calls share both.
 */
final class ExtensionHandlers {

    private static final Logger LOG = LoggerFactory.getLogger(ExtensionHandlers.class);

    private record Extension(String path, Handler handler) {
    }

    private final Map<Handler, Extension> extensions = new ConcurrentHashMap<>();
    private volatile List<Extension> byLongestPath = List.of();
    private Server server;

    /** Starts the handlers added so far with {@code started}, and every later one. */
    synchronized void attach(Server started) {
        server = started;
        extensions.values().forEach(e -> start(e.handler()));
    }

    synchronized void detach() {
        extensions.values().forEach(e -> stop(e.handler()));
        server = null;
    }

    synchronized void add(Handler handler, String path) {
        extensions.put(handler, new Extension(path.endsWith("/") && path.length() > 1
                ? path.substring(0, path.length() - 1) : path, handler));
        if (server != null) {
            start(handler);
        }
        refresh();
    }

    synchronized void remove(Handler handler) {
        if (extensions.remove(handler) != null) {
            refresh();
            if (server != null) {
                stop(handler);
            }
        }
    }

    /** Whether an extension's path covers {@code path} (its handler may block: it runs on a thread of its own). */
    boolean serves(String path) {
        if (path == null) {
            return false;
        }
        for (Extension extension : byLongestPath) {
            if (path.equals(extension.path()) || path.startsWith(extension.path() + "/")) {
                return true;
            }
        }
        return false;
    }

    /** @return whether an extension took the request */
    boolean handle(Request request, Response response, Callback callback, Site site) throws Exception {
        List<Extension> current = byLongestPath;
        if (current.isEmpty()) {
            return false;
        }
        String path = request.getHttpURI().getPath();
        for (Extension extension : current) {
            if (path != null && (path.equals(extension.path()) || path.startsWith(extension.path() + "/"))) {
                request.setAttribute(ClientInfo.ATTRIBUTE, clientInfo(request, response, site.settings()));
                return extension.handler().handle(request, response, callback);
            }
        }
        return false;
    }

    private static ClientInfo clientInfo(Request request, Response response, WebSettings settings) {
        ClientAddress address = ClientAddress.of(request, settings.trustedProxies());
        Fingerprints fingerprints = new Fingerprints(settings.fingerprintCookie());
        String fingerprint = fingerprints.fromRequest(request);
        if (fingerprint == null) {
            fingerprint = fingerprints.newFingerprint();
            response.getHeaders().add(HttpHeader.SET_COOKIE,
                    fingerprints.setCookie(fingerprint, System.currentTimeMillis(), address.secure()));
        }
        return new ClientInfo(address.ip(), address.port(), fingerprint, new HttpRequestMetadata(request, address.secure())
                .snapshot());
    }

    private void refresh() {
        byLongestPath = extensions.values().stream()
                .sorted(Comparator.comparingInt((Extension e) -> e.path().length()).reversed()).toList();
    }

    private void start(Handler handler) {
        try {
            handler.setServer(server);
            handler.start();
        } catch (Exception e) {
            LOG.error("the handler {} for {} did not start: {}", handler, extensions.get(handler).path(), e.toString());
        }
    }

    private static void stop(Handler handler) {
        try {
            handler.stop();
        } catch (Exception e) {
            LOG.warn("the handler {} did not stop cleanly: {}", handler, e.toString());
        }
    }
}
