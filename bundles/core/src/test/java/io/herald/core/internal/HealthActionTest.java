package io.herald.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.List;
import java.util.Map;

import io.herald.api.spi.ActionResult;
import io.herald.api.spi.HealthIndicator.Health;
import io.herald.api.spi.HealthIndicator.Health.State;
import io.herald.api.spi.Outcome;
import io.herald.core.ActionPipeline;

import org.junit.jupiter.api.Test;

/** The health action through the real pipeline: its status is the load balancer's signal. */
class HealthActionTest {

    private final NodeHealth health = new NodeHealth();
    private final ActionPipeline pipeline = ActionPipeline.builder().action(new HealthAction(health)).build();

    @Test
    void a_healthy_or_degraded_node_answers_200_with_its_status_and_problems() {
        assertEquals(Map.of("nodeStatus", "Healthy", "problems", List.of()), answer(200));
        health.addIndicator(() -> new Health("tasks", State.DEGRADED, Map.of("warning", "no worker")));
        assertEquals(Map.of("nodeStatus", "Degraded", "problems", List.of("tasks is degraded: no worker")), answer(200));
    }

    @Test
    void an_unhealthy_node_answers_503() {
        health.addIndicator(() -> new Health("redis.client", State.DOWN, Map.of("error", "Connection refused")));
        assertEquals(Map.of("nodeStatus", "Unhealthy", "problems", List.of("redis.client is down: Connection refused")),
                answer(503));
    }

    private Map<String, Object> answer(int status) {
        ActionResult result = pipeline.run(TestActions.call("health"));
        assertEquals(Outcome.COMPLETE, result.outcome(), "an unhealthy node is an answer, not an error");
        assertEquals(status, result.status());
        assertFalse(result.responseMetadata(), "probes get the two fields only");
        return result.response();
    }
}
