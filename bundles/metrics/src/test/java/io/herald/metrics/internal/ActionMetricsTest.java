package io.herald.metrics.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.herald.api.Connection;
import io.herald.api.spi.ActionResult;
import io.herald.api.spi.Outcome;
import io.herald.api.spi.TransportConnection;

import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import org.junit.jupiter.api.Test;

class ActionMetricsTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final ActionMetrics metrics = new ActionMetrics(registry);
    private final Connection web = new TransportConnection("c", Connection.WEB, "127.0.0.1", 1, "f");
    private final Connection socket = new TransportConnection("c", Connection.TCP, "127.0.0.1", 1, "f");

    private static ActionResult result(String action, int version, Outcome outcome, int status, long millis) {
        return new ActionResult(outcome, status, action, version, Map.of(), Map.of(), TimeUnit.MILLISECONDS.toNanos(millis));
    }

    private Timer timer(String action, String transport, String outcome, String status) {
        return registry.find(ActionMetrics.NAME).tags("action", action, "transport", transport, "outcome", outcome,
                "status", status).timer();
    }

    @Test
    void calls_are_counted_and_timed_by_action_transport_outcome_and_status() {
        for (int i = 0; i < 3; i++) {
            metrics.completed(result("echo", 1, Outcome.COMPLETE, 200, 2), web);
        }
        metrics.completed(result("echo", 1, Outcome.MISSING_PARAMS, 422, 1), web);
        metrics.completed(result("echo", 1, Outcome.COMPLETE, 200, 1), socket);

        Timer ok = timer("echo", "web", "complete", "200");
        assertEquals(3, ok.count());
        assertEquals(6, ok.totalTime(TimeUnit.MILLISECONDS), 0.001);
        assertEquals(1, timer("echo", "web", "missing_params", "422").count());
        assertEquals(1, timer("echo", "tcp", "complete", "200").count());
    }

    @Test
    void names_of_no_registered_action_share_one_label() {
        metrics.completed(result("made-up-1", 0, Outcome.UNKNOWN_ACTION, 404, 0), web);
        metrics.completed(result("made-up-2", 0, Outcome.UNKNOWN_ACTION, 404, 0), web);
        metrics.completed(result(null, 0, Outcome.SERVER_SHUTTING_DOWN, 503, 0), web);

        assertEquals(2, timer(ActionMetrics.NO_ACTION, "web", "unknown_action", "404").count());
        assertEquals(1, timer(ActionMetrics.NO_ACTION, "web", "server_shutting_down", "503").count());
        assertNull(registry.find(ActionMetrics.NAME).tag("action", "made-up-1").timer());
    }

    @Test
    void the_histogram_has_the_fixed_latency_buckets() {
        metrics.completed(result("echo", 1, Outcome.COMPLETE, 200, 3), web);
        var buckets = timer("echo", "web", "complete", "200").takeSnapshot().histogramCounts();
        assertEquals(ActionMetrics.BUCKETS.length, buckets.length);
        // 3 ms: above the 1 and 2 ms buckets, within 5 ms and every larger one
        assertEquals(0, buckets[1].count());
        assertEquals(1, buckets[2].count());
    }
}
