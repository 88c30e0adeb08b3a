package io.herald.dashboard.internal;

import java.nio.ByteBuffer;
import java.util.Map;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Serves the page under the dashboard's path on the web server's port: {@code <path>} and {@code <path>/} the page,
 * {@code <path>/dashboard.js} and {@code <path>/dashboard.css} its script and style, anything else under the path 404.
 * Nothing here reads a queue: the page calls the {@code resque:*} actions with the operator's credentials, so the
 * admin role is checked where every action's roles are, in the core (resque-web and ah-resque-ui serve their page to
 * anyone, too, and guard the data).
 *
 * <p>Every answer forbids framing and inline script ({@code Content-Security-Policy}): the page shows job arguments
 * written by any client, and draws them as text only.
 */
final class DashboardHandler extends Handler.Abstract.NonBlocking {

    static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; "
            + "connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private final String path;
    private final Map<String, Asset> assets;

    DashboardHandler(DashboardSettings settings) {
        this.path = settings.path();
        Asset page = Asset.text(Asset.resource("index.html")
                .replace("{{path}}", settings.path())
                .replace("{{apiPath}}", settings.apiPath())
                .replace("{{refreshSeconds}}", Integer.toString(settings.refreshSeconds())), "text/html; charset=utf-8");
        this.assets = Map.of("", page, "/", page,
                "/dashboard.js", Asset.text(Asset.resource("dashboard.js"), "application/javascript; charset=utf-8"),
                "/dashboard.css", Asset.text(Asset.resource("dashboard.css"), "text/css; charset=utf-8"));
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        String requested = request.getHttpURI().getPath();
        if (requested == null || !(requested.equals(path) || requested.startsWith(path + "/"))) {
            return false;
        }
        response.getHeaders().put("Content-Security-Policy", CONTENT_SECURITY_POLICY);
        response.getHeaders().put("X-Content-Type-Options", "nosniff");
        response.getHeaders().put("Referrer-Policy", "no-referrer");
        Asset asset = assets.get(requested.substring(path.length()));
        if (asset == null) {
            Response.writeError(request, response, callback, HttpStatus.NOT_FOUND_404,
                    "no such file of the dashboard: the page is at " + path + "/");
            return true;
        }
        String method = request.getMethod();
        boolean head = HttpMethod.HEAD.is(method);
        if (!head && !HttpMethod.GET.is(method)) {
            response.getHeaders().put(HttpHeader.ALLOW, "GET, HEAD");
            Response.writeError(request, response, callback, HttpStatus.METHOD_NOT_ALLOWED_405);
            return true;
        }
        response.getHeaders().put(HttpHeader.ETAG, asset.etag());
        // revalidated on every load: a new version of the bundle is seen at once, an unchanged page costs a 304
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-cache");
        if (asset.matches(request.getHeaders().get(HttpHeader.IF_NONE_MATCH))) {
            response.setStatus(HttpStatus.NOT_MODIFIED_304);
            callback.succeeded();
            return true;
        }
        response.setStatus(HttpStatus.OK_200);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, asset.contentType());
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, asset.bytes().length);
        if (head) {
            callback.succeeded();
        } else {
            response.write(true, ByteBuffer.wrap(asset.bytes()).asReadOnlyBuffer(), callback);
        }
        return true;
    }
}
