package io.herald.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.herald.api.spi.HealthIndicator;
import io.herald.api.spi.HealthIndicator.Health;

import org.junit.jupiter.api.Test;

class StatusActionTest {

    private final NodeIdentity identity = new NodeIdentity("node-1", "test", Instant.parse("2026-01-01T00:00:00Z"));

    @Test
    void reports_identity_uptime_and_memory() {
        Map<String, Object> status = StatusAction.report(identity, List.of(), 100, Instant.parse("2026-01-01T00:00:05Z"));
        assertEquals("node-1", status.get("id"));
        assertEquals(5000L, status.get("uptime"));
        assertEquals("Healthy", status.get("nodeStatus"));
        assertEquals(List.of(), status.get("problems"));
        assertTrue((Long) status.get("consumedMemoryMB") >= 0);
    }

    @Test
    void a_part_that_is_down_makes_the_node_unhealthy() {
        HealthIndicator redis = () -> new Health("redis.client", Health.State.DOWN, Map.of("host", "127.0.0.1"));
        HealthIndicator broken = () -> {
            throw new IllegalStateException("boom");
        };
        Map<String, Object> status = StatusAction.report(identity, List.of(redis, broken), 100, Instant.now());
        assertEquals("Unhealthy", status.get("nodeStatus"));
        assertTrue(((List<?>) status.get("problems")).contains("redis.client is down"));
        @SuppressWarnings("unchecked")
        Map<String, Object> health = (Map<String, Object>) status.get("health");
        assertEquals(Map.of("state", "DOWN", "host", "127.0.0.1"), health.get("redis.client"));
        assertEquals(2, health.size(), "a failing indicator is reported, not thrown");
    }

    @Test
    void heap_above_the_limit_is_a_problem() {
        Map<String, Object> status = StatusAction.report(identity, List.of(), 0, Instant.now());
        assertEquals("Unhealthy", status.get("nodeStatus"));
        assertTrue(status.get("problems").toString().contains("maximum heap"));
    }
}
