package io.herald.core.internal;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import io.herald.api.spi.HealthIndicator;

import org.osgi.service.cm.ConfigurationException;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * Gathers every {@link HealthIndicator} (the whiteboard) and the heap limit ({@code maxHeapPercent} of
 * {@code io.herald.core}) into one {@link HealthReport}, for the {@code status} and {@code health} actions: both
 * answer from the same aggregation. An internal service of the core; other bundles publish indicators instead.
 */
@Component(service = NodeHealth.class, configurationPid = "io.herald.core",
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
public final class NodeHealth {

    private final List<HealthIndicator> indicators = new CopyOnWriteArrayList<>();
    private volatile int maxHeapPercent = 90;

    @Activate
    void activate(CoreConfig config, Map<String, Object> properties) throws ConfigurationException {
        maxHeapPercent = CoreSettings.read(config, properties).maxHeapPercent();
    }

    @Modified
    void modified(CoreConfig config, Map<String, Object> properties) throws ConfigurationException {
        maxHeapPercent = CoreSettings.read(config, properties).maxHeapPercent();
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addIndicator(HealthIndicator indicator) {
        indicators.add(indicator);
    }

    void removeIndicator(HealthIndicator indicator) {
        indicators.remove(indicator);
    }

    /** Asks every indicator now: an indicator may take a moment (a Redis round trip), so call it once per answer. */
    HealthReport report() {
        MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        return HealthReport.of(indicators, maxHeapPercent, heap.getUsed(), heapMax(heap));
    }

    /** The most the heap may grow to; the committed size when the JVM sets no maximum. */
    static long heapMax(MemoryUsage heap) {
        return heap.getMax() > 0 ? heap.getMax() : heap.getCommitted();
    }
}
