package io.herald.metrics.internal;

import java.util.ArrayList;
import java.util.List;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;

import org.eclipse.jetty.server.AbstractConnector;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.util.thread.ThreadPool;

/**
 * The Jetty server a metrics handler runs in: its thread pool and open connections, under the names Micrometer's own
 * Jetty binders use ({@code jetty_threads_*}, {@code jetty_connections_current}), tagged {@code server} ({@code web}
 * for the web server's port, {@code metrics} for the metrics port). Read from the server's getters: Micrometer's
 * {@code JettyConnectionMetrics} would add a listener bean to the web server's connectors, which outlive this bundle,
 * and its Jetty 12 module brings nothing else for a server.
 */
final class JettyMetrics {

    private final MeterRegistry registry;
    private final List<Meter> meters = new ArrayList<>();

    JettyMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    synchronized void bind(Server server, String name) {
        unbind();
        Tags tags = Tags.of("server", name);
        ThreadPool pool = server.getThreadPool();
        if (pool instanceof ThreadPool.SizedThreadPool sized) {
            meters.add(Gauge.builder("jetty.threads.config.min", sized, ThreadPool.SizedThreadPool::getMinThreads)
                    .tags(tags).description("The minimum number of threads in the pool").register(registry));
            meters.add(Gauge.builder("jetty.threads.config.max", sized, ThreadPool.SizedThreadPool::getMaxThreads)
                    .tags(tags).description("The maximum number of threads in the pool").register(registry));
        }
        meters.add(Gauge.builder("jetty.threads.current", pool, ThreadPool::getThreads)
                .tags(tags).description("The threads in the pool").register(registry));
        meters.add(Gauge.builder("jetty.threads.idle", pool, ThreadPool::getIdleThreads)
                .tags(tags).description("The idle threads in the pool").register(registry));
        if (pool instanceof QueuedThreadPool queued) {
            meters.add(Gauge.builder("jetty.threads.busy", queued, QueuedThreadPool::getBusyThreads)
                    .tags(tags).description("The threads running a job").register(registry));
            meters.add(Gauge.builder("jetty.threads.jobs", queued, QueuedThreadPool::getQueueSize)
                    .tags(tags).description("Jobs waiting for a thread").register(registry));
        }
        meters.add(Gauge.builder("jetty.connections.current", server, JettyMetrics::connections)
                .tags(tags).description("Open connections on the server's connectors").register(registry));
    }

    synchronized void unbind() {
        meters.forEach(registry::remove);
        meters.clear();
    }

    private static double connections(Server server) {
        long open = 0;
        for (Connector connector : server.getConnectors()) {
            if (connector instanceof AbstractConnector c) {
                open += c.getConnectedEndPoints().size();
            }
        }
        return open;
    }
}
