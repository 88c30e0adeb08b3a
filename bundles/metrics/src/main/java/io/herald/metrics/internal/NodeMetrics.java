package io.herald.metrics.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmInfoMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.expositionformats.OpenMetricsTextFormatWriter;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;

/**
 * The node's meter registry: Micrometer's Prometheus registry with the JVM binders (memory, GC, threads, class
 * loading, CPU, uptime, file descriptors), and the gauges read at scrape time ({@link TaskGauges},
 * {@link HealthGauges}). The text is Micrometer's (the Prometheus client's writers), never written here.
 */
final class NodeMetrics implements AutoCloseable {

    /** The Prometheus text format 0.0.4, what a scraper gets unless it asks for OpenMetrics. */
    static final String TEXT = PrometheusTextFormatWriter.CONTENT_TYPE;
    static final String OPEN_METRICS = OpenMetricsTextFormatWriter.CONTENT_TYPE;

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final List<AutoCloseable> closeables = new ArrayList<>();
    private final List<Runnable> beforeScrape = new ArrayList<>();

    NodeMetrics() {
        JvmGcMetrics gc = new JvmGcMetrics();
        closeables.add(gc);
        for (MeterBinder binder : List.of(new ClassLoaderMetrics(), new JvmMemoryMetrics(), gc, new JvmThreadMetrics(),
                new ProcessorMetrics(), new UptimeMetrics(), new FileDescriptorMetrics(), new JvmInfoMetrics())) {
            binder.bindTo(registry);
        }
    }

    PrometheusMeterRegistry registry() {
        return registry;
    }

    /** Runs {@code refresh} before every scrape (gauges read from services at that moment). */
    synchronized void beforeScrape(Runnable refresh) {
        beforeScrape.add(refresh);
    }

    /**
     * The metrics as text.
     *
     * @param accept the client's {@code Accept} header, or {@code null}: OpenMetrics when it names it, else the
     *     Prometheus text format
     * @return the content type and the text
     */
    synchronized Scrape scrape(String accept) throws IOException {
        beforeScrape.forEach(Runnable::run);
        String contentType = accept != null && accept.contains("application/openmetrics-text") ? OPEN_METRICS : TEXT;
        ByteArrayOutputStream out = new ByteArrayOutputStream(16 * 1024);
        registry.scrape(out, contentType);
        return new Scrape(contentType, out.toByteArray());
    }

    record Scrape(String contentType, byte[] body) {
    }

    @Override
    public void close() {
        for (AutoCloseable closeable : closeables) {
            try {
                closeable.close();
            } catch (Exception e) {
                // a GC listener that is gone already
            }
        }
        registry.close();
    }
}
