package io.herald.server.websocket.internal;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import io.herald.api.spi.ClientInfo;
import io.herald.api.spi.ConnectionRegistry;
import io.herald.api.spi.HeraldError;

import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.websocket.core.Configuration;
import org.eclipse.jetty.websocket.core.FrameHandler;
import org.eclipse.jetty.websocket.core.server.ServerUpgradeRequest;
import org.eclipse.jetty.websocket.core.server.ServerUpgradeResponse;
import org.eclipse.jetty.websocket.core.server.WebSocketNegotiator;
import org.eclipse.jetty.websocket.core.server.WebSocketUpgradeHandler;

/**
 * The upgrade handler the web server runs under {@code path}, and the sockets it opened. An upgrade is refused with
 * 503 past {@code maxConnections}, and with 400 when it did not come through the web server (no {@link ClientInfo}).
 */
final class WebSocketServer implements WebSocketNegotiator {

    /** Actionhero's {@code general.welcomeMessage}, in Herald's words. */
    static final String WELCOME = "Hello! Welcome to the Herald api";

    private final WebSocketSettings settings;
    private final Events events;
    private final Supplier<ConnectionRegistry> registry;
    private final Set<ClientSocket> open = ConcurrentHashMap.newKeySet();
    private final WebSocketUpgradeHandler handler = new WebSocketUpgradeHandler();

    WebSocketServer(WebSocketSettings settings, Events events, Supplier<ConnectionRegistry> registry) {
        this.settings = settings;
        this.events = events;
        this.registry = registry;
        handler.addMapping(settings.path(), this);
    }

    WebSocketUpgradeHandler handler() {
        return handler;
    }

    WebSocketSettings settings() {
        return settings;
    }

    Events events() {
        return events;
    }

    ConnectionRegistry registry() {
        return registry.get();
    }

    int openCount() {
        return open.size();
    }

    void opened(ClientSocket socket) {
        open.add(socket);
    }

    void closed(ClientSocket socket) {
        open.remove(socket);
    }

    /** Closes every connection, telling the clients why (the server is disabled or stopping). */
    void closeAll(String reason) {
        for (ClientSocket socket : Set.copyOf(open)) {
            socket.close(reason);
        }
    }

    @Override
    public FrameHandler negotiate(ServerUpgradeRequest request, ServerUpgradeResponse response, Callback callback) {
        Object client = request.getAttribute(ClientInfo.ATTRIBUTE);
        if (!(client instanceof ClientInfo info)) {
            Response.writeError(request, response, callback, HttpStatus.BAD_REQUEST_400, "not through the web server");
            return null;
        }
        if (open.size() >= settings.maxConnections()) {
            Response.writeError(request, response, callback, HttpStatus.SERVICE_UNAVAILABLE_503,
                    events.format(HeraldError.TOO_MANY_CONNECTIONS, settings.maxConnections()));
            return null;
        }
        return new ClientSocket(this, info, request.getComponents().getExecutor(), request.getComponents().getScheduler());
    }

    @Override
    public void customize(Configuration configuration) {
        configuration.setIdleTimeout(settings.idleTimeout());
        // A frame larger than a message is refused by Jetty's parser before it is buffered (close 1009).
        configuration.setMaxFrameSize(settings.maxMessageSize());
        configuration.setMaxTextMessageSize(settings.maxMessageSize());
        configuration.setMaxBinaryMessageSize(settings.maxMessageSize());
    }
}
