package io.herald.server.web.internal;

import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.Invocable;

/**
 * Serves each request with the {@link Site} in force when it arrived; a live configuration change replaces the site
 * atomically, and requests already running finish on the one they started with.
 *
 * <p>Not Jetty's dynamic {@code Handler.Wrapper}: its handler field is not volatile, and replacing the handler stops the
 * old one while requests may still be running on it.
 */
final class SiteHandler extends Handler.Abstract {

    private volatile Site site;
    private final ExtensionHandlers extensions;

    SiteHandler(ExtensionHandlers extensions) {
        // The action handler blocks (it runs the action), so Jetty must call this on a pool thread.
        super(Invocable.InvocationType.BLOCKING);
        this.extensions = extensions;
    }

    Site site() {
        return site;
    }

    void site(Site next) {
        Handler handler = next.handler();
        if (!handler.isStarted()) {
            // Handlers that compute their state when started (Jetty's CrossOriginHandler) belong to this server.
            handler.setServer(getServer());
            try {
                handler.start();
            } catch (Exception e) {
                throw new IllegalStateException("the web server's handlers cannot start: " + e.getMessage(), e);
            }
        }
        site = next;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        Site current = site;
        return current != null && (extensions.handle(request, response, callback, current)
                || current.handler().handle(request, response, callback));
    }
}
