package io.herald.server.web.internal;

import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

import io.herald.api.spi.HeraldError;

/** The last handler: whatever no other handler served gets {@link HeraldError#NOT_FOUND} as JSON. */
final class NotFoundHandler extends Handler.Abstract.NonBlocking {

    private final ResponseWriter writer;

    NotFoundHandler(ResponseWriter writer) {
        this.writer = writer;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        writer.writeError(request, response, callback, HeraldError.NOT_FOUND.status(), HeraldError.NOT_FOUND,
                request.getHttpURI().getPath());
        return true;
    }
}
