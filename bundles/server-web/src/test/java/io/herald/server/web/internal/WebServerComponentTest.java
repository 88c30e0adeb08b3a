package io.herald.server.web.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Field;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

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

        component.activate(TestConfig.of(config(Map.of("enabled", false))));

        assertEquals(List.of(), component.routes());
        component.deactivate();
    }

    @Test
    void enabled_serves_and_publishes_its_routes_until_deactivated() throws Exception {
        WebServerComponent component = component();
        component.activate(TestConfig.of(config(Map.of())));

        assertTrue(component.routes().contains(new RouteTable.Route("GET", "/api/echo", "echo", 0)));

        component.deactivate();
        assertEquals(List.of(), component.routes());
    }

    @Test
    void activation_fails_naming_a_port_in_use() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            WebServerComponent component = component();

            IllegalStateException failure = assertThrows(IllegalStateException.class,
                    () -> component.activate(TestConfig.of(config(Map.of("port", String.valueOf(taken.getLocalPort()))))));

            assertEquals("web server cannot start: port " + taken.getLocalPort() + " is in use (127.0.0.1 port "
                    + taken.getLocalPort() + ")", failure.getMessage());
        }
    }

    @Test
    void a_configuration_mistake_fails_activation_naming_the_attribute() throws Exception {
        WebServerComponent component = component();

        IllegalArgumentException failure = assertThrows(IllegalArgumentException.class,
                () -> component.activate(TestConfig.of(config(Map.of("requesterInformation", "sometimes")))));

        assertEquals("requesterInformation must be auto, true or false, was \"sometimes\"", failure.getMessage());
    }
}
