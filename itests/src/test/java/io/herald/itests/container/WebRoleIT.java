package io.herald.itests.container;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.bundle;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
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
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.util.tracker.ServiceTracker;

/**
 * In the container (Pax Exam, Felix): the {@code web} role's bundles, exactly as the features file lists them, plus
 * the example bundle. Configuring {@code io.herald.server.web} through ConfigurationAdmin (what FileInstall does with
 * {@code config/io.herald.server.web.cfg}) opens the port, and the example's actions answer over real HTTP.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class WebRoleIT {

    private static final String WEB_PID = "io.herald.server.web";
    /** Bundles dropped into deploy/ run at start level 4 under the launcher. */
    private static final int DEPLOY_START_LEVEL = 4;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final ObjectMapper json = new ObjectMapper();

    @Inject
    private BundleContext context;

    @Inject
    private ConfigurationAdmin configurationAdmin;

    @Configuration
    public Option[] config() {
        String example = new File(System.getProperty("herald.example.jar")).toURI().toString();
        return RoleContainer.options("web", "web-role-it", bundle(example).startLevel(DEPLOY_START_LEVEL));
    }

    @Test
    public void the_web_role_serves_the_example_over_http_once_configured() throws Exception {
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
        try {
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
        } finally {
            web.delete();
        }
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
