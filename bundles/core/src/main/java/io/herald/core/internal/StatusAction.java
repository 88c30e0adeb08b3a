package io.herald.core.internal;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import io.herald.api.Action;
import io.herald.api.ActionContext;
import io.herald.api.ActionDefinition;
import io.herald.api.cluster.ClusterBus;
import io.herald.api.cluster.ClusterException;
import io.herald.api.cluster.ClusterMember;
import io.herald.api.spi.HealthIndicator;
import io.herald.api.spi.ServerIdentity;
import io.herald.core.internal.cluster.DescribesTransport;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * The built-in {@code status} action: who this node is, how long it has run, its memory, the health of every part
 * that reports one, and the cluster this node sees. Fields follow Actionhero's {@code status} action
 * ({@code src/actions/status.ts}); {@code cluster} is Herald's: Actionhero has no member list, and operators otherwise
 * cannot tell a lone node from one cut off from its cluster (a wrong {@code serverToken}, another Redis).
 */
@Component(configurationPid = "io.herald.core", configurationPolicy = ConfigurationPolicy.OPTIONAL)
@ActionDefinition(name = "status", description = "I return the health and the vital figures of this node",
        outputExample = "{\"id\":\"10.0.0.5\",\"heraldVersion\":\"0.1.0\",\"uptime\":12345,\"nodeStatus\":\"Healthy\",\"problems\":[],"
                + "\"cluster\":{\"transport\":\"in-process\",\"members\":[{\"id\":\"10.0.0.5\",\"lastSeen\":\"2026-01-01T00:00:00Z\"}]}}")
public final class StatusAction implements Action {

    private final List<HealthIndicator> indicators = new CopyOnWriteArrayList<>();

    @Reference
    private ServerIdentity identity;

    // Optional and dynamic: status must answer while the bus is missing or restarting, it is what operators look at then.
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile ClusterBus bus;

    private volatile int maxHeapPercent = 90;

    @Activate
    @Modified
    void configure(CoreConfig config) {
        maxHeapPercent = config.maxHeapPercent();
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addIndicator(HealthIndicator indicator) {
        indicators.add(indicator);
    }

    void removeIndicator(HealthIndicator indicator) {
        indicators.remove(indicator);
    }

    @Override
    public Object run(ActionContext context) {
        return report(identity, indicators, bus, maxHeapPercent, Instant.now());
    }

    /** The status report; {@code bus} may be null (no cluster bus on this node right now). */
    static Map<String, Object> report(ServerIdentity identity, List<HealthIndicator> indicators, ClusterBus bus,
            int maxHeapPercent, Instant now) {
        MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        long heapMax = heap.getMax() > 0 ? heap.getMax() : heap.getCommitted();
        List<String> problems = new ArrayList<>();
        if (heap.getUsed() * 100 > heapMax * maxHeapPercent) {
            problems.add(String.format("Using more than %d%% of the maximum heap (%d of %d MB)", maxHeapPercent,
                    mb(heap.getUsed()), mb(heapMax)));
        }
        Map<String, Object> health = new LinkedHashMap<>();
        for (HealthIndicator indicator : indicators) {
            HealthIndicator.Health h;
            try {
                h = indicator.health();
            } catch (RuntimeException e) {
                h = new HealthIndicator.Health(indicator.getClass().getName(), HealthIndicator.Health.State.DOWN,
                        Map.of("error", String.valueOf(e.getMessage())));
            }
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("state", h.state().name());
            entry.putAll(h.details());
            health.put(h.name(), entry);
            if (h.state() == HealthIndicator.Health.State.DOWN) {
                problems.add(h.name() + " is down");
            }
        }
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("id", identity.id());
        status.put("heraldVersion", identity.version());
        status.put("environment", identity.environment());
        status.put("uptime", Duration.between(identity.startedAt(), now).toMillis());
        status.put("consumedMemoryMB", mb(heap.getUsed()));
        status.put("memory", Map.of("heapUsedMB", mb(heap.getUsed()), "heapMaxMB", mb(heapMax),
                "nonHeapUsedMB", mb(ManagementFactory.getMemoryMXBean().getNonHeapMemoryUsage().getUsed())));
        status.put("nodeStatus", problems.isEmpty() ? "Healthy" : "Unhealthy");
        status.put("problems", problems);
        status.put("health", health);
        status.put("cluster", cluster(bus));
        return status;
    }

    /**
     * The transport the bus runs over and the members this node sees, this one included: {@code id} and
     * {@code lastSeen} (ISO-8601, by this node's clock). Without a bus, or while it is stopped, the transport is
     * {@code none} and the member list empty.
     */
    static Map<String, Object> cluster(ClusterBus bus) {
        Map<String, Object> cluster = new LinkedHashMap<>();
        if (bus == null) {
            cluster.put("transport", "none");
            cluster.put("members", List.of());
            return cluster;
        }
        cluster.put("transport", bus instanceof DescribesTransport described ? described.transportDescription()
                : bus.getClass().getName());
        List<Map<String, Object>> members = new ArrayList<>();
        try {
            for (ClusterMember member : bus.members()) {
                Map<String, Object> entry = new LinkedHashMap<>();
                entry.put("id", member.id());
                entry.put("lastSeen", member.lastSeen().toString());
                members.add(entry);
            }
        } catch (ClusterException stopped) {
            // The bus stopped between the lookup and this call (a restart): report it, do not fail the status.
            cluster.put("error", stopped.getMessage());
        }
        cluster.put("members", members);
        return cluster;
    }

    private static long mb(long bytes) {
        return bytes / (1024 * 1024);
    }
}
