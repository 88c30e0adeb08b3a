package io.herald.metrics.internal;

import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The metrics port: a small Jetty server of its own serving only the metrics handler, for a node without a web server
 * (a worker), so that every node can be scraped. Anything but the metrics path answers 404.
 */
final class MetricsListener {

    private final Server server;
    private final ServerConnector connector;

    MetricsListener(String bindHost, int port, MetricsHandler metrics) {
        // a scrape every few seconds: a few threads do (Jetty needs acceptor and selector threads besides)
        QueuedThreadPool threads = new QueuedThreadPool(8, 2);
        threads.setName("herald-metrics");
        server = new Server(threads);
        connector = new ServerConnector(server, 1, 1);
        connector.setPort(port);
        if (!bindHost.isEmpty()) {
            connector.setHost(bindHost);
        }
        server.addConnector(connector);
        Handler.Sequence handlers = new Handler.Sequence(metrics, new NotFound(metrics));
        server.setHandler(handlers);
    }

    void start() throws Exception {
        server.start();
    }

    /** The port it listens on (the one picked, for port 0). */
    int port() {
        return connector.getLocalPort();
    }

    void stop() {
        try {
            server.stop();
        } catch (Exception e) {
            // stopping: the port is released with the server's threads whatever stop() reports
        }
    }

    private static final class NotFound extends Handler.Abstract.NonBlocking {

        private final MetricsHandler metrics;

        NotFound(MetricsHandler metrics) {
            this.metrics = metrics;
        }

        @Override
        public boolean handle(Request request, Response response, Callback callback) {
            metrics.notFound(request, response, callback);
            return true;
        }
    }
}
