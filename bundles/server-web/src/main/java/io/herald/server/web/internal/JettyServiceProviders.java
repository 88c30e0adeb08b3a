package io.herald.server.web.internal;

import java.util.function.Supplier;

import org.eclipse.jetty.alpn.java.server.JDK9ServerALPNProcessor;
import org.eclipse.jetty.alpn.server.ALPNServerConnectionFactory;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.http.PreEncodedHttpField;
import org.eclipse.jetty.http2.hpack.HpackFieldPreEncoder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The two Jetty pieces HTTP/2 needs that Jetty finds with {@link java.util.ServiceLoader}: the JDK's ALPN processor
 * ({@code jetty-alpn-java-server}) and the HPACK encoder of pre-encoded header fields ({@code jetty-http2-hpack}).
 * ServiceLoader looks through the thread's context class loader, and inside OSGi no bundle's class loader sees another
 * bundle's {@code META-INF/services} without SPI Fly, which Herald does not ship. So each lookup runs with the context
 * class loader of the bundle that holds the provider: that bundle sees its own services file and its own class.
 */
final class JettyServiceProviders {

    private static final Logger LOG = LoggerFactory.getLogger(JettyServiceProviders.class);
    private static final boolean HPACK = loadHpack();

    private JettyServiceProviders() {
    }

    /**
     * Whether HTTP/2 can encode Jetty's pre-encoded header fields. Jetty reads the encoders once, when
     * {@link PreEncodedHttpField} is first used; this makes that happen here, where the HPACK bundle is seen, unless
     * another bundle used it first, in which case HTTP/2 is not offered (a warning says so).
     */
    static boolean http2Available() {
        return HPACK;
    }

    /** Jetty's ALPN negotiation with the JDK's ALPN processor, offering {@code protocols} in order. */
    static ALPNServerConnectionFactory alpn(String... protocols) {
        return withContextClassLoader(JDK9ServerALPNProcessor.class.getClassLoader(),
                () -> new ALPNServerConnectionFactory(protocols));
    }

    private static boolean loadHpack() {
        return withContextClassLoader(HpackFieldPreEncoder.class.getClassLoader(), () -> {
            try {
                return new PreEncodedHttpField(HttpHeader.X_POWERED_BY, "Herald").getEncodedLength(HttpVersion.HTTP_2) > 0;
            } catch (RuntimeException e) {
                // Jetty has no HTTP/2 encoding of its pre-encoded fields: it read its encoders without this bundle's help.
                LOG.warn("HTTP/2 is not available: Jetty's HPACK encoder was not found when Jetty's header fields were "
                        + "first used ({}); the web server offers HTTP/1.1 only", e.toString());
                return false;
            }
        });
    }

    private static <T> T withContextClassLoader(ClassLoader loader, Supplier<T> action) {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(loader);
        try {
            return action.get();
        } finally {
            thread.setContextClassLoader(previous);
        }
    }
}
