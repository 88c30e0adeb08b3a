package io.herald.server.web.internal;

import java.util.List;
import java.util.Locale;

import org.eclipse.jetty.compression.brotli.BrotliCompression;
import org.eclipse.jetty.compression.brotli.BrotliEncoderConfig;
import org.eclipse.jetty.compression.gzip.GzipCompression;
import org.eclipse.jetty.compression.server.CompressionConfig;
import org.eclipse.jetty.compression.server.CompressionHandler;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.QuotedQualityCSV;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.aayushatharva.brotli4j.Brotli4jLoader;

/**
 * Jetty's {@link CompressionHandler} with its brotli and gzip codecs, switched by the settings in force: JSON and files
 * are compressed for clients that send {@code Accept-Encoding: br} or {@code gzip} (brotli preferred when both are
 * accepted: smaller for the same CPU at the quality used), when they are at least {@code compressionMinSize} bytes,
 * with {@code Vary: Accept-Encoding}. Actionhero compresses with gzip or deflate; Jetty 12.1 has no deflate codec, and
 * every client that accepts deflate accepts gzip, so a client that asks only for deflate gets the body as it is.
 * Brotli runs brotli4j's native library (embedded for Linux x86-64 and aarch64); where it does not load, gzip alone.
 *
 * <p>A {@code Range} request is answered uncompressed: the range counts bytes of the file, not of a compressed stream.
 * A request body sent with {@code Content-Encoding: gzip} or {@code br} is decoded by the same handler; the body limit
 * counts the decoded bytes.
 */
final class ResponseCompression extends CompressionHandler {

    private static final Logger LOG = LoggerFactory.getLogger(ResponseCompression.class);
    /**
     * Brotli's quality for responses made per request: Jetty's default, 11, is meant for files compressed once ahead of
     * time and costs about 50 times the CPU of quality 4, which compresses JSON better than gzip's level 6 at about its
     * cost (the levels CDNs use for dynamic content).
     */
    static final int BROTLI_QUALITY = 4;

    private final GzipCompression gzip = new GzipCompression();
    /** The codecs' names, most preferred first (brotli's only when it loaded). */
    private final List<String> encodings;
    /** {@code null} when brotli4j's native library does not load on this platform. */
    private final BrotliCompression brotli = loadBrotli();
    private volatile CompressionSettings settings;

    ResponseCompression(Handler next, CompressionSettings settings) {
        super(next);
        putCompression(gzip);
        if (brotli != null) {
            putCompression(brotli);
        }
        // Jetty's defaults: compressible types only (no images, archives or fonts already compressed), GET and POST.
        encodings = brotli != null ? List.of("br", "gzip") : List.of("gzip");
        putConfiguration("/", CompressionConfig.builder().defaults().compressPreferredEncodings(encodings).build());
        apply(settings);
    }

    /** Takes a changed configuration; responses already being written keep what they started with. */
    void apply(CompressionSettings next) {
        gzip.setMinCompressSize(next.minSize());
        if (brotli != null) {
            brotli.setMinCompressSize(next.minSize());
        }
        settings = next;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        if (!settings.enabled() || request.getHeaders().contains(HttpHeader.RANGE)) {
            return getHandler().handle(request, response, callback);
        }
        List<String> accepted = request.getHeaders().getValuesList(HttpHeader.ACCEPT_ENCODING);
        for (String value : accepted) {
            if (value.indexOf(';') >= 0) {
                return super.handle(new ChosenEncoding(request, choose(accepted)), response, callback);
            }
        }
        return super.handle(request, response, callback);
    }

    /**
     * The encoding to use for an {@code Accept-Encoding} with weights: Jetty's handler takes the server's preferred
     * encoding among those the client accepts, heeding only {@code q=0}, while RFC 9110 (12.5.3) asks for the client's
     * weights first ({@code gzip;q=1, br;q=0.1} means gzip). Ties go to the server's order; {@code identity} when
     * none of the codecs is acceptable.
     */
    String choose(List<String> accepted) {
        QuotedQualityCSV ranked = new QuotedQualityCSV(encodings);
        accepted.forEach(ranked::addValue);
        for (String encoding : ranked) {
            String name = encoding.toLowerCase(Locale.ROOT);
            if (name.equals("*")) {
                return encodings.get(0);
            }
            if (encodings.contains(name)) {
                return name;
            }
        }
        return "identity";
    }

    /** Whether responses may be compressed with brotli here (its native library loaded). */
    boolean brotli() {
        return brotli != null;
    }

    private static BrotliCompression loadBrotli() {
        try {
            Brotli4jLoader.ensureAvailability();
        } catch (Throwable unavailable) {
            LOG.info("web server: brotli compression is not available here ({}); responses are compressed with gzip only",
                    unavailable.toString());
            return null;
        }
        BrotliCompression compression = new BrotliCompression();
        BrotliEncoderConfig encoder = new BrotliEncoderConfig();
        encoder.setCompressionLevel(BROTLI_QUALITY);
        compression.setDefaultEncoderConfig(encoder);
        return compression;
    }

    /** The request as Jetty's handler should see it: {@code Accept-Encoding} names the one encoding chosen. */
    private static final class ChosenEncoding extends Request.Wrapper {

        private final HttpFields headers;

        ChosenEncoding(Request request, String encoding) {
            super(request);
            headers = HttpFields.build(request.getHeaders()).put(HttpHeader.ACCEPT_ENCODING, encoding).asImmutable();
        }

        @Override
        public HttpFields getHeaders() {
            return headers;
        }
    }
}
