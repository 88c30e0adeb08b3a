package io.herald.metrics.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import io.herald.api.spi.HealthIndicator;
import io.herald.api.spi.HealthIndicator.Health;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import org.junit.jupiter.api.Test;

class HealthGaugesTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final List<HealthIndicator> indicators = new CopyOnWriteArrayList<>();
    private final HealthGauges gauges = new HealthGauges(registry, () -> indicators);

    private double state(String part, String state) {
        return registry.find("herald.health.state").tags("part", part, "state", state).gauge().value();
    }

    @Test
    void each_part_is_a_state_set_and_the_redis_connection_state_shows() {
        indicators.add(() -> new Health("redis.client", Health.State.UP, Map.of("connection", "CONNECTED")));
        indicators.add(() -> new Health("redis.tasks", Health.State.DEGRADED, Map.of("connection", "FAILING_OVER")));
        gauges.refresh();
        assertEquals(1, state("redis.client", "up"));
        assertEquals(0, state("redis.client", "down"));
        assertEquals(1, state("redis.tasks", "degraded"));
        assertEquals(0, state("redis.tasks", "up"));
    }

    @Test
    void an_indicator_that_throws_is_down_and_a_gone_one_disappears() {
        HealthIndicator broken = () -> {
            throw new IllegalStateException("unreachable");
        };
        indicators.add(broken);
        gauges.refresh();
        assertEquals(1, state(broken.getClass().getName(), "down"));
        indicators.clear();
        gauges.refresh();
        assertNull(registry.find("herald.health.state").tags("part", broken.getClass().getName()).gauge());
    }

    @Test
    void the_tasks_part_gives_this_nodes_processors_and_scheduler_role() {
        indicators.add(() -> new Health("tasks", Health.State.UP,
                Map.of("processors", 4, "processorsBusy", 1, "scheduler", "standby")));
        gauges.refresh();
        assertEquals(1, registry.find("herald.task.processors").tag("state", "busy").gauge().value());
        assertEquals(3, registry.find("herald.task.processors").tag("state", "idle").gauge().value());
        assertEquals(0, registry.find("herald.task.scheduler.leader").gauge().value());

        indicators.clear();
        indicators.add(() -> new Health("tasks", Health.State.UP, Map.of("processors", 0, "scheduler", "off")));
        gauges.refresh();
        assertNull(registry.find("herald.task.scheduler.leader").gauge(), "no scheduler on this node");
    }
}
