package io.herald.server.web.internal;

import org.eclipse.jetty.compression.gzip.GzipCompression;
import org.eclipse.jetty.compression.server.CompressionConfig;
import org.eclipse.jetty.compression.server.CompressionHandler;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Jetty's {@link CompressionHandler} with its gzip codec, switched by the settings in force: JSON and files are
 * compressed for clients that send {@code Accept-Encoding: gzip}, when they are at least {@code compressionMinSize}
 * bytes, with {@code Vary: Accept-Encoding}. Actionhero compresses with gzip or deflate; Jetty 12.1 has no deflate
 * codec (its brotli and zstandard codecs need native libraries), and every client that accepts deflate accepts gzip.
 *
 * <p>A {@code Range} request is answered uncompressed: the range counts bytes of the file, not of a gzip stream. A
 * request body sent with {@code Content-Encoding: gzip} is decoded by the same handler; the body limit counts the
 * decoded bytes.
 */
final class ResponseCompression extends CompressionHandler {

    private final GzipCompression gzip = new GzipCompression();
    private volatile CompressionSettings settings;

    ResponseCompression(Handler next, CompressionSettings settings) {
        super(next);
        putCompression(gzip);
        // Jetty's defaults: compressible types only (no images, archives or fonts already compressed), GET and POST.
        putConfiguration("/", CompressionConfig.builder().defaults().build());
        apply(settings);
    }

    /** Takes a changed configuration; responses already being written keep what they started with. */
    void apply(CompressionSettings next) {
        gzip.setMinCompressSize(next.minSize());
        settings = next;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        if (!settings.enabled() || request.getHeaders().contains(HttpHeader.RANGE)) {
            return getHandler().handle(request, response, callback);
        }
        return super.handle(request, response, callback);
    }
}
