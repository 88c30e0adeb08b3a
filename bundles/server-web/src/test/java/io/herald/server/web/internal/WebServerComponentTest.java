package io.herald.server.web.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Field;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.osgi.service.cm.ConfigurationException;

import ch.qos.logback.classic.Level;

import io.herald.api.spi.RouteTable;

/** The DS component without a framework: its fields are set as SCR would inject them. */
class WebServerComponentTest {

    private static WebServerComponent component() throws Exception {
        WebServerComponent component = new WebServerComponent();
        inject(component, "identity", TestIdentity.development());
        inject(component, "runner", new TestRunner());
        // messages stays unset: the optional catalogue is absent, the default wording applies.
        return component;
    }

    private static void inject(Object target, String field, Object value) throws Exception {
        Field f = WebServerComponent.class.getDeclaredField(field);
        f.setAccessible(true);
        f.set(target, value);
    }

    private static Map<String, Object> config(Map<String, Object> values) {
        Map<String, Object> all = new java.util.HashMap<>(Map.of("port", "0", "bindHost", "127.0.0.1",
                "routesFile", "/nonexistent/herald-test-routes.json"));
        all.putAll(values);
        return all;
    }

    @Test
    void disabled_opens_no_port_and_publishes_no_routes() throws Exception {
        WebServerComponent component = component();

        component.activate(TestConfig.of(config(Map.of("enabled", false))), Map.of());

        assertEquals(List.of(), component.routes());
        component.deactivate();
    }

    @Test
    void enabled_serves_and_publishes_its_routes_until_deactivated() throws Exception {
        WebServerComponent component = component();
        component.activate(TestConfig.of(config(Map.of())), Map.of());

        assertTrue(component.routes().contains(new RouteTable.Route("GET", "/api/echo", "echo", 0)));

        component.deactivate();
        assertEquals(List.of(), component.routes());
    }

    @Test
    void activation_fails_naming_a_port_in_use() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            WebServerComponent component = component();

            IllegalStateException failure = assertThrows(IllegalStateException.class,
                    () -> component.activate(TestConfig.of(config(Map.of("port", String.valueOf(taken.getLocalPort())))), Map.of()));

            assertEquals("web server cannot start: port " + taken.getLocalPort() + " is in use (127.0.0.1 port "
                    + taken.getLocalPort() + ")", failure.getMessage());
        }
    }

    @Test
    void a_configuration_mistake_fails_activation_naming_the_attribute() throws Exception {
        WebServerComponent component = component();

        ConfigurationException failure = assertThrows(ConfigurationException.class,
                () -> component.activate(TestConfig.of(config(Map.of("port", "http"))), Map.of()));

        assertEquals("port", failure.getProperty());
        assertEquals("must be a TCP port (0-65535) or a unix socket path containing '/', was \"http\"", failure.getReason());
    }

    @Test
    void a_key_store_password_under_its_public_name_is_refused() throws Exception {
        WebServerComponent component = component();

        ConfigurationException failure = assertThrows(ConfigurationException.class,
                () -> component.activate(TestConfig.of(config(Map.of())), Map.of("tlsKeyStorePassword", "secret")));

        assertEquals("tlsKeyStorePassword", failure.getProperty());
        assertTrue(failure.getReason().contains("write .tlsKeyStorePassword"), failure.getReason());
    }

    @Test
    void a_mistake_in_a_modification_is_logged_in_one_line_and_the_server_keeps_its_settings() throws Exception {
        WebServerComponent component = component();
        component.activate(TestConfig.of(config(Map.of())), Map.of());
        try (LogCapture log = LogCapture.of(WebServerComponent.class)) {
            WebServer server = component.server();
            int port = server.port();

            component.modified(TestConfig.of(config(Map.of("port", "0", "urlPathForActions", "/v 2"))), Map.of());

            assertEquals(List.of("io.herald.server.web.cfg: urlPathForActions: must be a URL path such as /api (segments of "
                    + "letters, digits and -._~!$&'()*+,=:@; / alone serves actions at the root), was \"/v 2\"; the web server "
                    + "keeps its current settings"), log.lines(Level.ERROR));
            assertSame(server, component.server());
            assertEquals(port, server.port());
            try (KeepAliveClient client = new KeepAliveClient(port)) {
                assertEquals(200, client.get("/api/echo").status());
            }
        } finally {
            component.deactivate();
        }
    }

    @Test
    void disabling_closes_the_port_and_enabling_opens_it_again() throws Exception {
        WebServerComponent component = component();
        int port = Ports.free();
        Map<String, Object> enabled = config(Map.of("port", String.valueOf(port)));
        component.activate(TestConfig.of(enabled), Map.of());
        try (KeepAliveClient open = new KeepAliveClient(port)) {
            assertEquals(200, open.get("/api/echo").status());

            component.modified(TestConfig.of(config(Map.of("port", String.valueOf(port), "enabled", false))), Map.of());

            assertTrue(open.closedByServer(), "the open connection is closed");
            assertTrue(Ports.awaitRefused(port));
            assertEquals(List.of(), component.routes());
        }
        component.modified(TestConfig.of(enabled), Map.of());
        try (KeepAliveClient reopened = new KeepAliveClient(port)) {
            assertEquals(200, reopened.get("/api/echo").status());
            assertTrue(component.routes().contains(new RouteTable.Route("GET", "/api/echo", "echo", 0)));
        } finally {
            component.deactivate();
        }
        assertTrue(Ports.awaitRefused(port));
    }
}
