package io.herald.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.herald.api.spi.HealthIndicator.Health;
import io.herald.launcher.spi.Deployment;
import io.herald.launcher.spi.Deployment.State;

import org.junit.jupiter.api.Test;

class DeploymentsHealthTest {

    private static final Instant SINCE = Instant.parse("2026-01-01T00:00:00Z");

    @Test
    void refused_and_kept_files_degrade_the_node_with_the_launchers_reason_each() {
        DeploymentsHealth health = new DeploymentsHealth(() -> List.of(
                new Deployment("hello.jar", "io.herald.example.hello", "1.0.0", State.ACTIVE, null, SINCE),
                new Deployment("next.jar", null, null, State.PENDING, null, SINCE),
                new Deployment("broken.jar", "io.example.broken", "2.0.0", State.REFUSED,
                        "broken.jar (io.example.broken 2.0.0) cannot resolve: missing package org.nowhere [1.0,2)", SINCE),
                new Deployment("lib.jar", "io.example.lib", "1.0.0", State.KEPT,
                        "lib.jar was removed, but io.example.app needs it", SINCE)));
        Health state = health.health();
        assertEquals("deployments", state.name());
        assertEquals(Health.State.DEGRADED, state.state());
        assertEquals(1, state.details().get("active"));
        assertEquals(List.of("broken.jar (io.example.broken 2.0.0) cannot resolve: missing package org.nowhere [1.0,2)",
                "lib.jar was removed, but io.example.app needs it"), state.details().get("problems"));
        assertEquals("Degraded", HealthReport.of(List.of(health), 100, 1, 100).nodeStatus());
    }

    @Test
    void everything_active_or_pending_is_up() {
        DeploymentsHealth health = new DeploymentsHealth(() -> List.of(
                new Deployment("hello.jar", "io.herald.example.hello", "1.0.0", State.ACTIVE, null, SINCE),
                new Deployment("next.jar", null, null, State.PENDING, null, SINCE)));
        assertEquals(Health.State.UP, health.health().state());
        assertEquals(List.of(), health.health().details().get("problems"));
    }

    @Test
    void the_status_list_has_file_bundle_version_state_problem_and_since_of_every_file() {
        DeploymentsHealth health = new DeploymentsHealth(() -> List.of(
                new Deployment("broken.jar", null, null, State.REFUSED, "broken.jar is not a bundle", SINCE)));
        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("file", "broken.jar");
        expected.put("bundle", null);
        expected.put("version", null);
        expected.put("state", "REFUSED");
        expected.put("problem", "broken.jar is not a bundle");
        expected.put("since", "2026-01-01T00:00:00Z");
        assertEquals(List.of(expected), health.deployments());
        assertEquals(List.copyOf(expected.keySet()), List.copyOf(health.deployments().get(0).keySet()));
    }
}
