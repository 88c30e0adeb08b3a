package io.herald.launcher.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;

import org.junit.jupiter.api.Test;

class LogSettingsTest {

    @Test
    void a_node_with_a_title_writes_its_own_file_named_by_it() {
        assertEquals("herald", LogSettings.fileName(null));
        assertEquals("web-1", LogSettings.fileName("web-1"));
        assertEquals("10.0.0.5-8080", LogSettings.fileName("10.0.0.5:8080"), "a title as a file name, as the pidfile's");
        assertEquals("..-etc-passwd", LogSettings.fileName("../etc/passwd"), "never a path out of log/");
    }

    @Test
    void the_node_id_follows_the_cores_precedence_title_then_configured_id_then_the_address() {
        Map<String, Map<String, String>> configured = Map.of("io.herald.core", Map.of("id", " api-a "));
        assertEquals("web-1", LogSettings.nodeId("web-1", configured));
        assertEquals("api-a", LogSettings.nodeId(null, configured));
        assertEquals(LogSettings.externalAddress(), LogSettings.nodeId(null, Map.of("io.herald.core", Map.of("id", ""))));
        assertEquals(LogSettings.externalAddress(), LogSettings.nodeId(null, Map.of()));
    }
}
