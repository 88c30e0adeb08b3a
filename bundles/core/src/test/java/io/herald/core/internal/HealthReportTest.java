package io.herald.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.herald.api.spi.HealthIndicator;
import io.herald.api.spi.HealthIndicator.Health;
import io.herald.api.spi.HealthIndicator.Health.State;

import org.junit.jupiter.api.Test;

/** How the parts' states and the heap make nodeStatus and problems (HealthIndicator's table). */
class HealthReportTest {

    private static final long MB = 1024 * 1024;

    private static HealthIndicator part(String name, State state, Map<String, Object> details) {
        return () -> new Health(name, state, details);
    }

    private static HealthReport of(HealthIndicator... parts) {
        return HealthReport.of(List.of(parts), 90, 10 * MB, 100 * MB);
    }

    @Test
    void every_part_up_is_healthy_with_no_problem() {
        HealthReport report = of(part("cluster", State.UP, Map.of()), part("tasks", State.UP, Map.of("queued", 0)));
        assertEquals("Healthy", report.nodeStatus());
        assertEquals(List.of(), report.problems());
        assertFalse(report.unhealthy());
    }

    @Test
    void a_degraded_part_makes_the_node_degraded_and_says_why() {
        HealthReport report = of(part("cluster", State.UP, Map.of()),
                part("tasks", State.DEGRADED, Map.of("warning", "jobs are waiting but no worker is registered")));
        assertEquals("Degraded", report.nodeStatus());
        assertEquals(List.of("tasks is degraded: jobs are waiting but no worker is registered"), report.problems());
        assertFalse(report.unhealthy(), "a degraded node still serves");
    }

    @Test
    void a_part_down_wins_over_a_degraded_one_and_each_gives_its_line() {
        HealthReport report = of(part("tasks", State.DEGRADED, Map.of("warning", "no worker")),
                part("redis.client", State.DOWN, Map.of("address", "10.0.0.9:6379", "error", "Connection refused")),
                part("cluster", State.DOWN, Map.of("reason", "the cluster bus is stopped")),
                part("redis.tasks", State.DOWN, Map.of("address", "10.0.0.9:6379")));
        assertEquals("Unhealthy", report.nodeStatus());
        assertTrue(report.unhealthy());
        // sorted by part name, as the health map
        assertEquals(List.of("cluster is down: the cluster bus is stopped", "redis.client is down: Connection refused",
                "redis.tasks is down", "tasks is degraded: no worker"), report.problems());
        assertEquals(List.of("cluster", "redis.client", "redis.tasks", "tasks"), List.copyOf(report.health().keySet()));
        assertEquals(Map.of("state", "DOWN", "address", "10.0.0.9:6379", "error", "Connection refused"),
                report.health().get("redis.client"));
    }

    @Test
    void a_part_with_several_problems_gives_one_line_each() {
        HealthReport report = of(part("deployments", State.DEGRADED, Map.of("problems",
                List.of("a.jar cannot resolve: missing package x", "b.jar was removed but c.jar needs it"))));
        assertEquals("Degraded", report.nodeStatus());
        assertEquals(List.of("deployments: a.jar cannot resolve: missing package x",
                "deployments: b.jar was removed but c.jar needs it"), report.problems());
    }

    @Test
    void the_heap_above_the_limit_makes_the_node_unhealthy() {
        HealthReport report = HealthReport.of(List.of(part("cluster", State.UP, Map.of())), 90, 95 * MB, 100 * MB);
        assertEquals("Unhealthy", report.nodeStatus());
        assertEquals(List.of("Using more than 90% of the maximum heap (95 of 100 MB)"), report.problems());
        assertEquals("Healthy", HealthReport.of(List.of(), 90, 90 * MB, 100 * MB).nodeStatus(), "at the limit is fine");
    }

    @Test
    void an_indicator_that_throws_or_answers_nothing_is_a_part_down_reported_not_thrown() {
        HealthIndicator throwing = () -> {
            throw new IllegalStateException("boom");
        };
        HealthIndicator silent = () -> null;
        HealthReport report = of(throwing, silent);
        assertEquals("Unhealthy", report.nodeStatus());
        assertEquals(2, report.health().size());
        assertTrue(report.problems().stream().anyMatch(line -> line.endsWith("is down: boom")), report.problems().toString());
        assertTrue(report.problems().stream().anyMatch(line -> line.endsWith("is down: no health reported")),
                report.problems().toString());
    }

    @Test
    void deployments_come_from_the_indicator_that_lists_them() {
        Map<String, Object> entry = Map.of("file", "hello.jar", "state", "ACTIVE");
        class Listing implements HealthIndicator, ListsDeployments {
            @Override
            public Health health() {
                return new Health("deployments", State.UP, Map.of());
            }

            @Override
            public List<Map<String, Object>> deployments() {
                return new ArrayList<>(List.of(entry));
            }
        }
        assertEquals(List.of(entry), of(new Listing(), part("cluster", State.UP, Map.of())).deployments());
        assertEquals(List.of(), of(part("cluster", State.UP, Map.of())).deployments());
    }
}
