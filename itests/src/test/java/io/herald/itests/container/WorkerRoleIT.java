package io.herald.itests.container;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Arrays;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import javax.inject.Inject;

import io.herald.api.spi.ActionRequest;
import io.herald.api.spi.ActionResult;
import io.herald.api.spi.ActionRunner;
import io.herald.api.spi.Outcome;
import io.herald.api.spi.RouteTable;
import io.herald.api.spi.TransportConnection;

import org.junit.After;
import org.junit.Before;
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
import org.osgi.service.condition.Condition;

/**
 * In the container (Pax Exam, Felix): the {@code worker} role's bundles, exactly as the features file lists them, on a
 * node that is ready ({@link ReadyCondition}, as the launcher registers it). A worker runs actions but has no web
 * server: even with {@code io.herald.server.web} configured, no component takes that configuration and no port opens.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class WorkerRoleIT {

    private static final String WEB_PID = "io.herald.server.web";

    @Inject
    private BundleContext context;

    @Inject
    private ActionRunner runner;

    @Inject
    private ConfigurationAdmin configurationAdmin;

    @Inject
    private ServiceComponentRuntime components;

    private ServiceRegistration<Condition> ready;

    @Configuration
    public Option[] config() {
        return RoleContainer.options("worker", "worker-role-it");
    }

    @Before
    public void nodeIsReady() {
        ready = ReadyCondition.register(context);
    }

    @After
    public void nodeStops() {
        ready.unregister();
    }

    @Test
    public void every_bundle_of_the_role_is_active_and_none_serves_http() {
        List<Bundle> notActive = Arrays.stream(context.getBundles()).filter(b -> b.getState() != Bundle.ACTIVE).toList();
        assertTrue("every bundle of the role starts: " + notActive.stream()
                .map(b -> b.getSymbolicName() + " state " + b.getState()).collect(Collectors.joining(", ")), notActive.isEmpty());
        assertTrue("the core runs", Arrays.stream(context.getBundles()).anyMatch(b -> "io.herald.core".equals(b.getSymbolicName())));
        assertFalse("no web server bundle in a worker", Arrays.stream(context.getBundles())
                .anyMatch(b -> "io.herald.server.web".equals(b.getSymbolicName())));
        // Jetty's core libraries come with herald-metrics (its metrics port, METRICS_PORT, for a worker's scrapes):
        // nothing of Jetty's HTTP/2, TLS, compression or WebSocket, which only the web server needs
        List<String> jetty = Arrays.stream(context.getBundles()).map(Bundle::getSymbolicName)
                .filter(name -> name.startsWith("org.eclipse.jetty")).sorted().toList();
        assertEquals("only Jetty's core in a worker", List.of("org.eclipse.jetty.http", "org.eclipse.jetty.io",
                "org.eclipse.jetty.server", "org.eclipse.jetty.util"), jetty);
    }

    @Test
    public void the_action_runner_runs_status() {
        TransportConnection connection = new TransportConnection("it", "inProcess", "127.0.0.1", 0, "it");
        ActionResult status = runner.run(ActionRequest.of("status", Map.of(), connection));
        assertEquals(String.valueOf(status.response()), Outcome.COMPLETE, status.outcome());
        assertEquals("worker-role-it", status.response().get("id"));
    }

    @Test
    public void a_web_server_configuration_opens_no_port_and_publishes_no_routes() throws Exception {
        int port = freePort();
        org.osgi.service.cm.Configuration web = configurationAdmin.getConfiguration(WEB_PID, "?");
        Hashtable<String, Object> properties = new Hashtable<>();
        properties.put("port", Integer.toString(port));
        properties.put("bindHost", "127.0.0.1");
        web.update(properties);
        try {
            assertTrue("no component of this node reads " + WEB_PID, components.getComponentDescriptionDTOs().stream()
                    .noneMatch(c -> Arrays.asList(c.configurationPid).contains(WEB_PID)));
            // A web server binds well within these two seconds of its configuration (run with the role "all", this
            // loop alone fails the test), so a port still closed at the end means nothing is going to open it.
            for (int check = 0; check < 20; check++) {
                assertRefused(port);
                Thread.sleep(100);
            }
            assertNull("no RouteTable service in a worker", context.getAllServiceReferences(RouteTable.class.getName(), null));
        } finally {
            web.delete();
        }
    }

    private static void assertRefused(int port) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 2000);
            fail("something listens on port " + port + " configured for the web server");
        } catch (ConnectException expected) {
            // refused: nothing listens
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
