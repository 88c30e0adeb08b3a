package io.herald.itests.container;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;
import static org.ops4j.pax.exam.CoreOptions.bundle;

import java.io.File;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.Hashtable;
import java.util.List;
import java.util.stream.Collectors;

import javax.inject.Inject;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.herald.api.spi.ActionRunner;
import io.herald.api.spi.NodeReady;
import io.herald.api.spi.RouteTable;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;
import org.osgi.service.condition.Condition;
import org.osgi.util.tracker.ServiceTracker;

/**
 * In the container (Pax Exam, Felix): the {@code web} role's bundles, exactly as the features file lists them, plus
 * the example bundle. Configuring {@code io.herald.server.web} through ConfigurationAdmin (what FileInstall does with
 * {@code config/io.herald.server.web.cfg}) is not enough to open the port: the web server waits for the node's
 * readiness condition ({@link ReadyCondition}, registered by the launcher once every action is live). Then the example's
 * actions answer over real HTTP, and when the condition goes (the node stops), the port closes while the actions are
 * still registered.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class WebRoleIT {

    private static final String WEB_PID = "io.herald.server.web";
    private static final String WEB_COMPONENT = "io.herald.server.web.internal.WebServerComponent";
    /** The reference Declarative Services 1.5 gives a component for its satisfying condition. */
    private static final String SATISFYING_CONDITION = "osgi.ds.satisfying.condition";
    /** Bundles dropped into deploy/ run at start level 4 under the launcher. */
    private static final int DEPLOY_START_LEVEL = 4;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final ObjectMapper json = new ObjectMapper();

    @Inject
    private BundleContext context;

    @Inject
    private ConfigurationAdmin configurationAdmin;

    @Inject
    private ServiceComponentRuntime components;

    @Inject
    private ActionRunner runner;

    @Configuration
    public Option[] config() {
        String example = new File(System.getProperty("herald.example.jar")).toURI().toString();
        return RoleContainer.options("web", "web-role-it", bundle(example).startLevel(DEPLOY_START_LEVEL));
    }

    @Test
    public void the_web_role_serves_the_example_over_http_while_the_node_is_ready() throws Exception {
        List<Bundle> notActive = Arrays.stream(context.getBundles()).filter(b -> b.getState() != Bundle.ACTIVE).toList();
        assertTrue("every bundle of the role starts: " + describe(notActive), notActive.isEmpty());
        assertTrue("the web server bundle is part of the role", installed("io.herald.server.web"));
        assertTrue("the example bundle is installed", installed("io.herald.example.hello"));

        int port = freePort();
        org.osgi.service.cm.Configuration web = configurationAdmin.getConfiguration(WEB_PID, "?");
        Hashtable<String, Object> properties = new Hashtable<>();
        properties.put("port", Integer.toString(port));
        properties.put("bindHost", "127.0.0.1");
        properties.put("routesFile", new File(System.getProperty("herald.home"), "config/routes.json").getPath());
        web.update(properties);
        ServiceRegistration<Condition> ready = null;
        try {
            // Configured, but the node is not ready: the component waits for its condition and no port is open.
            awaitWaitingForReadiness();
            assertRefused(port);
            assertNull("no RouteTable before the node is ready", context.getServiceReference(RouteTable.class));

            ready = ReadyCondition.register(context);

            HttpResponse<String> status = awaitStatus(port, "/api/status", 200);
            assertEquals("web-role-it", json.readTree(status.body()).get("id").asText());
            HttpResponse<String> echo = awaitStatus(port, "/api/echo?message=x", 200);
            JsonNode body = json.readTree(echo.body());
            assertEquals(echo.body(), "x", body.get("message").asText());
            ServiceTracker<RouteTable, RouteTable> routes = new ServiceTracker<>(context, RouteTable.class, null);
            routes.open();
            try {
                RouteTable table = routes.waitForService(10_000);
                assertTrue("a RouteTable service once the web server runs", table != null);
                assertTrue("routes: " + table.routes(), table.routes().stream()
                        .anyMatch(r -> r.path().equals("/api/echo") && r.action().equals("echo")));
            } finally {
                routes.close();
            }

            // The node stops: its readiness goes first, so the port closes while every action is still registered.
            ready.unregister();
            ready = null;
            awaitRefused(port);
            assertTrue("the actions outlive the web server", runner.actions().stream().anyMatch(a -> a.name().equals("echo")));
            awaitWaitingForReadiness();
        } finally {
            if (ready != null) {
                ready.unregister();
            }
            web.delete();
        }
    }

    /** Waits until the web server component has its configuration and lacks only the readiness condition. */
    private void awaitWaitingForReadiness() throws InterruptedException {
        String last = "no component " + WEB_COMPONENT;
        for (int attempt = 0; attempt < 300; attempt++) {
            ComponentDescriptionDTO description = components.getComponentDescriptionDTOs().stream()
                    .filter(c -> c.name.equals(WEB_COMPONENT)).findFirst().orElse(null);
            if (description != null) {
                List<ComponentConfigurationDTO> configurations = List.copyOf(components.getComponentConfigurationDTOs(description));
                last = configurations.stream().map(c -> c.state + " " + Arrays.stream(c.unsatisfiedReferences)
                        .map(r -> r.name + " " + r.target).toList()).toList().toString();
                if (configurations.size() == 1 && configurations.get(0).state == ComponentConfigurationDTO.UNSATISFIED_REFERENCE
                        && Arrays.stream(configurations.get(0).unsatisfiedReferences).map(r -> r.name).toList()
                                .equals(List.of(SATISFYING_CONDITION))
                        && NodeReady.TARGET.equals(configurations.get(0).unsatisfiedReferences[0].target)) {
                    return;
                }
            }
            Thread.sleep(20);
        }
        throw new AssertionError("the web server does not wait for " + NodeReady.TARGET + " alone: " + last);
    }

    private static void assertRefused(int port) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 2000);
            fail("something listens on port " + port + " before the node is ready");
        } catch (ConnectException expected) {
            // refused: nothing listens
        }
    }

    private static void awaitRefused(int port) throws Exception {
        for (int attempt = 0; attempt < 300; attempt++) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 2000);
            } catch (ConnectException refused) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("port " + port + " still accepts connections after the node stopped being ready");
    }

    private HttpResponse<String> awaitStatus(int port, String path, int expected) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10)).GET().build();
        String last = "nothing";
        for (int attempt = 0; attempt < 300; attempt++) {
            try {
                HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == expected) {
                    return response;
                }
                last = response.statusCode() + " " + response.body();
            } catch (IOException notListening) {
                last = notListening.toString();
            }
            Thread.sleep(50);
        }
        throw new AssertionError(path + " did not answer " + expected + ", last: " + last);
    }

    private boolean installed(String symbolicName) {
        return Arrays.stream(context.getBundles()).anyMatch(b -> symbolicName.equals(b.getSymbolicName()));
    }

    private static String describe(List<Bundle> bundles) {
        return bundles.stream().map(b -> b.getSymbolicName() + " state " + b.getState()).collect(Collectors.joining(", "));
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
