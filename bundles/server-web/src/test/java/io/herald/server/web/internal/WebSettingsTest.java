package io.herald.server.web.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** Reading the configuration: defaults, port or socket, metadata modes, headers, mistakes. */
class WebSettingsTest {

    private static WebSettings settings(Map<String, ?> values, boolean production) {
        return WebSettings.from(TestConfig.of(values), production, "/opt/herald");
    }

    private static String failure(Map<String, ?> values) {
        return assertThrows(IllegalArgumentException.class, () -> settings(values, false)).getMessage();
    }

    @Test
    void the_defaults_are_actionheros() {
        WebSettings settings = settings(Map.of(), false);

        assertTrue(settings.enabled());
        assertEquals(8080, settings.tcpPort());
        assertNull(settings.unixSocket());
        assertNull(settings.bindHost());
        assertEquals(List.of("api"), settings.actionsPath());
        assertEquals("/api", settings.actionsPathPrefix());
        assertEquals(1_048_576, settings.maxBodySize());
        assertEquals(16_777_216, settings.maxDrainSize());
        assertEquals(5_000, settings.drainTimeoutMillis());
        assertEquals(10_000, settings.shutdownTimeoutMillis());
        assertTrue(settings.serverInformation());
        assertTrue(settings.requesterInformation());
        assertEquals(Path.of("/opt/herald/config/routes.json"), settings.routesFile());
        assertEquals("sessionID", settings.fingerprintCookie());
        assertEquals(List.of(new WebSettings.Header("X-Powered-By", "Herald")), settings.responseHeaders());
    }

    @Test
    void metadata_auto_is_off_in_production_and_explicit_values_win() {
        WebSettings production = settings(Map.of(), true);
        assertFalse(production.serverInformation());
        assertFalse(production.requesterInformation());

        WebSettings explicit = settings(Map.of("serverInformation", "TRUE", "requesterInformation", "false"), true);
        assertTrue(explicit.serverInformation());
        assertFalse(explicit.requesterInformation());

        assertEquals("serverInformation must be auto, true or false, was \"yes\"", failure(Map.of("serverInformation", "yes")));
    }

    @Test
    void a_port_with_a_slash_is_a_unix_socket() {
        WebSettings settings = settings(Map.of("port", "/tmp/herald.sock"), false);

        assertEquals(Path.of("/tmp/herald.sock"), settings.unixSocket());
        assertEquals(-1, settings.tcpPort());
        assertEquals("unix socket /tmp/herald.sock", settings.listenDescription());
        assertEquals("port must be a TCP port (0-65535) or a unix socket path, was \"http\"", failure(Map.of("port", "http")));
        assertEquals("port must be between 0 and 65535, was 70000", failure(Map.of("port", "70000")));
    }

    @Test
    void the_actions_path_is_normalised() {
        assertEquals(List.of("v1", "api"), settings(Map.of("urlPathForActions", "v1/api/"), false).actionsPath());
        assertEquals("", settings(Map.of("urlPathForActions", "/"), false).actionsPathPrefix());
    }

    @Test
    void response_headers_are_name_value_pairs_and_an_empty_value_turns_one_off() {
        WebSettings settings = settings(Map.of("responseHeaders",
                new String[] { "X-Powered-By:", "X-Frame-Options: DENY | Cache-Control: no-store, max-age=0" }), false);

        assertEquals(List.of(new WebSettings.Header("X-Frame-Options", "DENY"),
                new WebSettings.Header("Cache-Control", "no-store, max-age=0")), settings.responseHeaders());
        assertEquals("responseHeaders entries must read \"Name: value\", was \"no colon\"",
                failure(Map.of("responseHeaders", new String[] { "no colon" })));
    }

    @Test
    void the_routes_file_may_name_herald_home() {
        assertEquals(Path.of("/opt/herald/etc/r.json"),
                settings(Map.of("routesFile", "${herald.home}/etc/r.json"), false).routesFile());
    }

    @Test
    void mistakes_name_the_attribute() {
        assertEquals("maxBodySize must be between 0 and 2147483639 bytes, was -1", failure(Map.of("maxBodySize", -1L)));
        assertEquals("maxDrainSize must be 0 or more bytes, was -1", failure(Map.of("maxDrainSize", -1L)));
        assertEquals("drainTimeout must be 0 or more milliseconds, was -1", failure(Map.of("drainTimeout", -1L)));
        assertEquals("shutdownTimeout must be 0 or more milliseconds, was -5", failure(Map.of("shutdownTimeout", -5L)));
        assertEquals("fingerprintCookie must be a cookie name, was \"a b\"", failure(Map.of("fingerprintCookie", "a b")));
    }
}
