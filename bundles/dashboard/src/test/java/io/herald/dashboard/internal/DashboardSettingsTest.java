package io.herald.dashboard.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import io.herald.core.properties.InvalidPropertyException;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class DashboardSettingsTest {

    @Test
    void off_at_resque_over_api_by_default() {
        assertEquals(new DashboardSettings(false, "/resque", "/api", 5), DashboardSettings.read(Map.of()));
        assertEquals(new DashboardSettings(true, "/ops/queues", "/v1", 0), DashboardSettings.read(Map.of("enabled", "yes",
                "path", " /ops/queues ", "apiPath", "/v1", "refreshSeconds", "0")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"resque", "/", "/resque/", "/a//b", "/a b", "/res<que", "/resque?x=1", ""})
    void a_path_that_is_not_a_plain_url_path_of_its_own_names_the_key(String path) {
        InvalidPropertyException e = assertThrows(InvalidPropertyException.class,
                () -> DashboardSettings.read(Map.of("path", path)));
        assertEquals("path", e.property());
        assertTrue(e.getMessage().startsWith("path must be a URL path such as /resque"), e.getMessage());
    }

    @Test
    void a_bad_api_path_or_refresh_or_switch_names_its_key() {
        assertEquals("apiPath", assertThrows(InvalidPropertyException.class,
                () -> DashboardSettings.read(Map.of("apiPath", "api"))).property());
        assertEquals("refreshSeconds", assertThrows(InvalidPropertyException.class,
                () -> DashboardSettings.read(Map.of("refreshSeconds", "-1"))).property());
        assertEquals("enabled", assertThrows(InvalidPropertyException.class,
                () -> DashboardSettings.read(Map.of("enabled", "maybe"))).property());
    }
}
