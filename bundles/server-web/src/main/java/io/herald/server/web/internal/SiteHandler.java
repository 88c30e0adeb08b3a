package io.herald.server.web.internal;

import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.Invocable;
import org.eclipse.jetty.util.thread.TryExecutor;

/**
 * Serves each request with the {@link Site} in force when it arrived; a live configuration change replaces the site
 * atomically, and requests already running finish on the one they started with.
 *
 * <p>Not Jetty's dynamic {@code Handler.Wrapper}: its handler field is not volatile, and replacing the handler stops the
 * old one while requests may still be running on it.
 *
 * <p>Non-blocking towards Jetty, so that a static file (and a 404) is served on the thread that read the request, as
 * Jetty's own ResourceHandler is: handing every request to another thread cost a static file 2.5 times the CPU of
 * Jetty serving it alone (bench/static.sh). Requests that may block (an action runs, a body is read; another bundle's
 * handler such as the WebSocket upgrade) are handed to the server's executor here instead.
 */
final class SiteHandler extends Handler.Abstract {

    private volatile Site site;
    private final ExtensionHandlers extensions;
    private final Executor blocking;

    /** @param blocking where requests that may block run: the server's thread pool (virtual threads when it has them) */
    SiteHandler(ExtensionHandlers extensions, Executor blocking) {
        super(Invocable.InvocationType.NON_BLOCKING);
        this.extensions = extensions;
        this.blocking = blocking;
    }

    Site site() {
        return site;
    }

    /** Puts {@code next} in force; its handlers were started ({@link Site#start}) by the web server. */
    void site(Site next) {
        site = next;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        Site current = site;
        if (current == null) {
            return false;
        }
        String path = request.getHttpURI().getPath();
        if (!extensions.serves(path) && !PathSegments.startsWith(PathSegments.split(path), current.settings().actionsPath())) {
            // Static files and 404: they never block.
            return current.handler().handle(request, response, callback);
        }
        Runnable task = () -> {
            try {
                if (!(extensions.handle(request, response, callback, current)
                        || current.handler().handle(request, response, callback))) {
                    Response.writeError(request, response, callback, 404);
                }
            } catch (Throwable failure) {
                // As Jetty does for a handler that throws: the server's error handler answers (JSON 500).
                Response.writeError(request, response, callback, failure);
            }
        };
        try {
            // A reserved thread first (Jetty's cheapest hand-off, the one it uses itself), else any pool thread.
            if (!(blocking instanceof TryExecutor reserved && reserved.tryExecute(task))) {
                blocking.execute(task);
            }
        } catch (RejectedExecutionException full) {
            Response.writeError(request, response, callback, 503);
        }
        return true;
    }
}
