package io.herald.server.web.internal;

import org.osgi.annotation.bundle.Header;
import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;

/**
 * Lets Jetty find its HTTP/2 header encoder before any bundle uses Jetty's header fields
 * ({@link JettyServiceProviders}): Jetty reads its encoders once, and the WebSocket bundle's handshaker reads them when
 * its component activates, long before the web server opens its port at node readiness. Bundles of one start level
 * start in the order they were installed, and the {@code herald-web} feature installs this bundle before the
 * {@code herald-websocket} one, which needs it. An activator, not a component: it runs when the bundle starts.
 */
@Header(name = Constants.BUNDLE_ACTIVATOR, value = "${@class}")
public final class WebActivator implements BundleActivator {

    @Override
    public void start(BundleContext context) {
        JettyServiceProviders.http2Available();
    }

    @Override
    public void stop(BundleContext context) {
        // Nothing to undo: the encoders belong to Jetty's classes.
    }
}
