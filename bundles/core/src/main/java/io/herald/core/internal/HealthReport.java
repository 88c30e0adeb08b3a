package io.herald.core.internal;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.herald.api.spi.HealthIndicator;
import io.herald.api.spi.HealthIndicator.Health;

/**
 * The node's health, aggregated from every {@link HealthIndicator} and the heap: what the {@code status} and
 * {@code health} actions answer.
 *
 * <p>{@code nodeStatus} is {@value #UNHEALTHY} when a part is {@link Health.State#DOWN} or the heap is above
 * {@code maxHeapPercent}, {@value #DEGRADED} when a part is {@link Health.State#DEGRADED} (a Redis failover in progress,
 * jobs waiting with no worker, a jar of {@code deploy/} refused), else {@value #HEALTHY}. Actionhero's {@code status}
 * knows Healthy and Unhealthy only; Degraded lets a load balancer keep a node that serves (it answers 200) while
 * operators see why it is not quite well. {@code problems} has one readable line per reason.
 *
 * @param health each part's state and details, by name
 * @param deployments what runs from {@code deploy/} (empty without the launcher)
 */
record HealthReport(String nodeStatus, List<String> problems, Map<String, Object> health,
        List<Map<String, Object>> deployments) {

    static final String HEALTHY = "Healthy";
    static final String DEGRADED = "Degraded";
    static final String UNHEALTHY = "Unhealthy";

    /** The details keys an indicator says why with (see {@link HealthIndicator}), in the order they are looked for. */
    private static final List<String> REASON_KEYS = List.of("error", "warning", "reason");

    /**
     * @param heapUsed bytes of heap in use
     * @param heapMax the most the heap may grow to, in bytes
     */
    static HealthReport of(Collection<HealthIndicator> indicators, int maxHeapPercent, long heapUsed, long heapMax) {
        List<String> problems = new ArrayList<>();
        boolean down = false;
        boolean degraded = false;
        if (heapUsed * 100 > heapMax * maxHeapPercent) {
            down = true;
            problems.add(String.format("Using more than %d%% of the maximum heap (%d of %d MB)", maxHeapPercent,
                    mb(heapUsed), mb(heapMax)));
        }
        List<Health> parts = new ArrayList<>();
        List<Map<String, Object>> deployments = new ArrayList<>();
        for (HealthIndicator indicator : indicators) {
            parts.add(healthOf(indicator));
            if (indicator instanceof ListsDeployments listing) {
                deployments.addAll(listing.deployments());
            }
        }
        parts.sort(Comparator.comparing(Health::name));
        Map<String, Object> health = new LinkedHashMap<>();
        for (Health part : parts) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("state", part.state().name());
            entry.putAll(part.details());
            health.put(part.name(), entry);
            down |= part.state() == Health.State.DOWN;
            degraded |= part.state() == Health.State.DEGRADED;
            problems.addAll(problemsOf(part));
        }
        String status = down ? UNHEALTHY : degraded ? DEGRADED : HEALTHY;
        return new HealthReport(status, List.copyOf(problems), health, List.copyOf(deployments));
    }

    /**
     * This report with one more problem, its {@code nodeStatus} made at least {@code atLeast} ({@value #HEALTHY} <
     * {@value #DEGRADED} < {@value #UNHEALTHY}): for the checks only the {@code status} action makes.
     */
    HealthReport worsened(String atLeast, String problem) {
        List<String> more = new ArrayList<>(problems);
        more.add(problem);
        String status = SEVERITY.indexOf(atLeast) > SEVERITY.indexOf(nodeStatus) ? atLeast : nodeStatus;
        return new HealthReport(status, List.copyOf(more), health, deployments);
    }

    private static final List<String> SEVERITY = List.of(HEALTHY, DEGRADED, UNHEALTHY);

    boolean unhealthy() {
        return UNHEALTHY.equals(nodeStatus);
    }

    /** An indicator that throws is a part that is down, reported rather than thrown: status must always answer. */
    private static Health healthOf(HealthIndicator indicator) {
        try {
            Health health = indicator.health();
            if (health != null) {
                return health;
            }
            return new Health(indicator.getClass().getName(), Health.State.DOWN, Map.of("error", "no health reported"));
        } catch (RuntimeException e) {
            return new Health(indicator.getClass().getName(), Health.State.DOWN,
                    Map.of("error", String.valueOf(e.getMessage())));
        }
    }

    /**
     * One line per reason: each of the {@code problems} details, else {@code "<name> is down: <error>"} (or
     * {@code warning}, {@code reason}), else {@code "<name> is down"}; nothing for a part that is up.
     */
    static List<String> problemsOf(Health part) {
        if (part.state() == Health.State.UP) {
            return List.of();
        }
        if (part.details().get("problems") instanceof Collection<?> listed && !listed.isEmpty()) {
            return listed.stream().map(problem -> part.name() + ": " + problem).toList();
        }
        String line = part.name() + " is " + (part.state() == Health.State.DOWN ? "down" : "degraded");
        for (String key : REASON_KEYS) {
            Object reason = part.details().get(key);
            if (reason != null && !reason.toString().isBlank()) {
                return List.of(line + ": " + reason);
            }
        }
        return List.of(line);
    }

    static long mb(long bytes) {
        return bytes / (1024 * 1024);
    }
}
