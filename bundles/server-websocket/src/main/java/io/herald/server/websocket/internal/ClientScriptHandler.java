package io.herald.server.websocket.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

import io.herald.core.EntityTags;

/**
 * Serves the browser client, {@code herald-client.js} (a resource of this bundle), at {@value #PATH} of the web
 * server's port, as Actionhero serves its {@code ActionheroWebsocketClient.js} from its public folder: a page of any
 * origin may load it. A GET or HEAD of exactly that path gets the script, with an ETag (the script's SHA-256, so
 * {@code If-None-Match} gets 304) and a short cache lifetime: a deployment that upgrades Herald serves the new client
 * within minutes. Any other method answers 405; a longer path is not this handler's, and the web server answers it.
 */
final class ClientScriptHandler extends Handler.Abstract.NonBlocking {

    static final String PATH = "/public/herald-client.js";
    static final String CONTENT_TYPE = "application/javascript; charset=utf-8";
    static final String CACHE_CONTROL = "public, max-age=300";

    private final byte[] script;
    private final String etag;

    ClientScriptHandler() {
        this(load());
    }

    ClientScriptHandler(byte[] script) {
        this.script = script.clone();
        this.etag = EntityTags.of(script);
    }

    static byte[] load() {
        try (InputStream in = ClientScriptHandler.class.getResourceAsStream("herald-client.js")) {
            if (in == null) {
                throw new IllegalStateException("herald-client.js is missing from the bundle");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read herald-client.js from the bundle", e);
        }
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        if (!PATH.equals(request.getHttpURI().getPath())) {
            return false;
        }
        String method = request.getMethod();
        boolean head = HttpMethod.HEAD.is(method);
        if (!head && !HttpMethod.GET.is(method)) {
            response.getHeaders().put(HttpHeader.ALLOW, "GET, HEAD");
            Response.writeError(request, response, callback, HttpStatus.METHOD_NOT_ALLOWED_405);
            return true;
        }
        response.getHeaders().put(HttpHeader.ETAG, etag);
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, CACHE_CONTROL);
        if (EntityTags.matches(request.getHeaders().get(HttpHeader.IF_NONE_MATCH), etag)) {
            response.setStatus(HttpStatus.NOT_MODIFIED_304);
            callback.succeeded();
            return true;
        }
        response.setStatus(HttpStatus.OK_200);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, CONTENT_TYPE);
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, script.length);
        response.getHeaders().put("X-Content-Type-Options", "nosniff");
        if (head) {
            callback.succeeded();
        } else {
            response.write(true, ByteBuffer.wrap(script).asReadOnlyBuffer(), callback);
        }
        return true;
    }
}
