package io.herald.metrics.internal;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import io.herald.api.spi.HealthIndicator;
import io.herald.api.spi.HealthIndicator.Health;

import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;

/**
 * The node's parts as the {@code status} action sees them ({@link HealthIndicator} services), read once per scrape:
 * <ul>
 * <li>{@code herald_health_state{part,state}}: 1 for the part's state ({@code up}, {@code degraded}, {@code down}), 0
 * for the other two, as a Prometheus state set. The Redis connections are the parts {@code redis.<name>} (UP while
 * connected, DEGRADED while failing over, DOWN when unreachable), so this is the Redis connection state too; an
 * indicator that throws counts as down, as for the status action;</li>
 * <li>from the tasks part's details (this node's, not the cluster's): {@code herald_task_processors{state="busy|idle"}},
 * the workers this node runs, and {@code herald_task_scheduler_leader}, 1 while
 * this node's scheduler holds the leader lock, 0 while it stands by (absent when it runs no scheduler).</li>
 * </ul>
 */
final class HealthGauges {

    private static final Health.State[] STATES = Health.State.values();

    private final Supplier<Collection<HealthIndicator>> indicators;
    private final MultiGauge states;
    private final MultiGauge processors;
    private final MultiGauge scheduler;

    HealthGauges(MeterRegistry registry, Supplier<Collection<HealthIndicator>> indicators) {
        this.indicators = indicators;
        this.states = MultiGauge.builder("herald.health.state")
                .description("1 for the state each part of the node is in (up, degraded, down), 0 for the others")
                .register(registry);
        this.processors = MultiGauge.builder("herald.task.processors")
                .description("Task workers this node runs (busy: working on a job)").register(registry);
        this.scheduler = MultiGauge.builder("herald.task.scheduler.leader")
                .description("1 while this node's scheduler holds the leader lock, 0 while it stands by").register(registry);
    }

    /** Asks every indicator; called before each scrape. */
    void refresh() {
        List<MultiGauge.Row<?>> rows = new ArrayList<>();
        List<MultiGauge.Row<?>> processorRows = new ArrayList<>();
        List<MultiGauge.Row<?>> schedulerRows = new ArrayList<>();
        for (HealthIndicator indicator : indicators.get()) {
            Health health;
            try {
                health = indicator.health();
            } catch (RuntimeException e) {
                health = new Health(indicator.getClass().getName(), Health.State.DOWN, Map.of("error", String.valueOf(e)));
            }
            if (health == null || health.name() == null || health.state() == null) {
                continue;
            }
            for (Health.State state : STATES) {
                rows.add(MultiGauge.Row.of(Tags.of("part", health.name(), "state", label(state)),
                        state == health.state() ? 1 : 0));
            }
            if ("tasks".equals(health.name()) && health.details() != null) {
                tasks(health.details(), processorRows, schedulerRows);
            }
        }
        states.register(rows, true);
        processors.register(processorRows, true);
        scheduler.register(schedulerRows, true);
    }

    /** The tasks bundle's {@code TasksHealth} details: {@code processors}, {@code processorsBusy}, {@code scheduler}. */
    private static void tasks(Map<String, Object> details, List<MultiGauge.Row<?>> processorRows,
            List<MultiGauge.Row<?>> schedulerRows) {
        if (details.get("processors") instanceof Number all) {
            long busy = details.get("processorsBusy") instanceof Number n ? n.longValue() : 0;
            processorRows.add(MultiGauge.Row.of(Tags.of("state", "busy"), busy));
            processorRows.add(MultiGauge.Row.of(Tags.of("state", "idle"), Math.max(0, all.longValue() - busy)));
        }
        Object role = details.get("scheduler");
        if ("leader".equals(role) || "standby".equals(role)) {
            schedulerRows.add(MultiGauge.Row.of(Tags.empty(), "leader".equals(role) ? 1 : 0));
        }
    }

    static String label(Health.State state) {
        return switch (state) {
            case UP -> "up";
            case DEGRADED -> "degraded";
            case DOWN -> "down";
        };
    }
}
