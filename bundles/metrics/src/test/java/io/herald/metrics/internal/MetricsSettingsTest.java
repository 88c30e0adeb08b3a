package io.herald.metrics.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.OptionalInt;

import io.herald.core.properties.InvalidPropertyException;

import org.junit.jupiter.api.Test;

class MetricsSettingsTest {

    @Test
    void defaults_serve_metrics_on_the_web_port_for_the_metrics_role() {
        MetricsSettings settings = MetricsSettings.read(Map.of());
        assertTrue(settings.enabled());
        assertEquals("/metrics", settings.path());
        assertEquals("metrics", settings.role());
        assertFalse(settings.requireAuthentication());
        assertEquals(OptionalInt.empty(), settings.port());
    }

    @Test
    void the_shipped_file_with_no_variable_set_reads_as_the_defaults() {
        // ${env:METRICS_PORT:-} expands to an empty value: no port of its own
        MetricsSettings settings = MetricsSettings.read(Map.of("enabled", "true", "path", "/metrics", "role", "metrics",
                "requireAuthentication", "false", "port", "", "bindHost", ""));
        assertEquals(MetricsSettings.read(Map.of()), settings);
    }

    @Test
    void a_port_and_a_trailing_slash_are_read() {
        MetricsSettings settings = MetricsSettings.read(Map.of("port", " 9464 ", "path", "/ops/metrics/"));
        assertEquals(OptionalInt.of(9464), settings.port());
        assertEquals("/ops/metrics", settings.path());
    }

    @Test
    void wrong_values_name_their_property() {
        assertEquals("port", assertThrows(InvalidPropertyException.class,
                () -> MetricsSettings.read(Map.of("port", "90x"))).property());
        assertEquals("port", assertThrows(InvalidPropertyException.class,
                () -> MetricsSettings.read(Map.of("port", "70000"))).property());
        assertEquals("path", assertThrows(InvalidPropertyException.class,
                () -> MetricsSettings.read(Map.of("path", "metrics"))).property());
        assertEquals("path", assertThrows(InvalidPropertyException.class,
                () -> MetricsSettings.read(Map.of("path", "/"))).property());
        assertEquals("role", assertThrows(InvalidPropertyException.class,
                () -> MetricsSettings.read(Map.of("role", "metrics;admin"))).property());
        assertEquals("role", assertThrows(InvalidPropertyException.class,
                () -> MetricsSettings.read(Map.of("role", " "))).property());
    }
}
