package io.herald.server.web.internal;

import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

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
 *
 * <p>With virtual threads (Java 21+): non-blocking towards Jetty, so that a static file (and a 404) is served on the
 * thread that read the request, as Jetty's own ResourceHandler is: handing every request to another thread cost a static
 * file 2.5 times the CPU of Jetty serving it alone (bench/static.sh). Requests that may block (an action runs, a body is
 * read; another bundle's handler such as the WebSocket upgrade) are handed to a virtual thread here instead, which costs
 * an action no more than Jetty's own dispatch (paired runs of the echo action, 64 connections). The connection then
 * stays on that virtual thread for its next request ({@link RequestThreads}) instead of going back to a platform thread.
 *
 * <p>Without them (Java 17): blocking towards Jetty, every request served where Jetty's execution strategy runs it.
 * Handing actions to a reserved or pooled platform thread here cost the echo action 12 to 14 us more CPU per request
 * than Jetty's own dispatch (about 30,000 against 37,500 requests/s at 64 connections, paired runs).
 */
final class SiteHandler extends Handler.Abstract {

    private volatile Site site;
    private final ExtensionHandlers extensions;
    /** Where requests that may block run; {@code null}: they are served inline (blocking towards Jetty). */
    private final Executor virtualThreads;

    /** @param virtualThreads the server's virtual-thread executor, or {@code null} when the JVM has none */
    SiteHandler(ExtensionHandlers extensions, Executor virtualThreads) {
        super(virtualThreads != null ? Invocable.InvocationType.NON_BLOCKING : Invocable.InvocationType.BLOCKING);
        this.extensions = extensions;
        this.virtualThreads = virtualThreads;
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
        if (virtualThreads == null) {
            return serve(current, request, response, callback);
        }
        if (RequestThreads.onRequestThread()) {
            // The next request of a connection kept on its request's virtual thread (RequestThreads): served here.
            return serve(current, request, response, callback);
        }
        String path = request.getHttpURI().getPath();
        if (!extensions.serves(path) && !PathSegments.startsWith(PathSegments.split(path), current.settings().actionsPath())) {
            // Static files and 404: they never block.
            return current.handler().handle(request, response, callback);
        }
        Runnable task = () -> RequestThreads.run(() -> {
            try {
                serve(current, request, response, callback);
            } catch (Throwable failure) {
                // As Jetty does for a handler that throws: the server's error handler answers (JSON 500).
                Response.writeError(request, response, callback, failure);
            }
        });
        try {
            virtualThreads.execute(task);
        } catch (RejectedExecutionException full) {
            Response.writeError(request, response, callback, 503);
        }
        return true;
    }

    /** Other bundles' handlers first (the WebSocket upgrade), then the site's; 404 when none takes the request. */
    private boolean serve(Site current, Request request, Response response, Callback callback) throws Exception {
        if (!(extensions.handle(request, response, callback, current) || current.handler().handle(request, response, callback))) {
            Response.writeError(request, response, callback, 404);
        }
        return true;
    }
}
