package io.herald.core.osgi;

import static io.herald.core.osgi.EmbeddedFelix.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.herald.api.Caller;
import io.herald.api.RequestMetadata;
import io.herald.api.chat.ChatMessage;
import io.herald.api.chat.ChatRooms;
import io.herald.api.spi.ClientChannel;
import io.herald.api.spi.ConnectionRegistry;
import io.herald.api.spi.LocalConnections;
import io.herald.api.cluster.ClusterBus;
import io.herald.api.cluster.ClusterMember;
import io.herald.api.spi.ActionRequest;
import io.herald.api.spi.ActionResult;
import io.herald.api.spi.ActionRunner;
import io.herald.api.spi.Authenticator;
import io.herald.api.spi.ClusterTransport;
import io.herald.api.spi.HealthIndicator;
import io.herald.api.spi.HealthIndicator.Health;
import io.herald.api.spi.ServerIdentity;
import io.herald.api.spi.TaskQueueLength;
import io.herald.api.spi.TransportConnection;
import io.herald.launcher.spi.Deployment;
import io.herald.launcher.spi.Deployments;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.osgi.framework.Bundle;
import org.osgi.framework.Constants;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;

/**
 * The core bundle in Felix with SCR and ConfigAdmin, configured through ConfigurationAdmin as FileInstall does it: the
 * secret token stays out of every service property, a live edit of {@code io.herald.core} keeps every service (same
 * service ids) and takes effect, a token under its public key is refused (and kept out of the service properties too),
 * and status and health aggregate the indicators, a launcher's {@code Deployments} included. The API, DS, ConfigAdmin and launcher SPI packages come from
 * the class path through the system bundle, as under the launcher, so the test uses the services directly.
 */
class CoreBundleInFelixTest {

    private static final String PID = "io.herald.core";
    private static final String IDENTITY = "io.herald.core.internal.IdentityComponent";
    private static final String FIRST_TOKEN = "first-s3cret-token";
    private static final String SECOND_TOKEN = "second-s3cret-token";
    private static final ObjectMapper JSON = new ObjectMapper();

    private static EmbeddedFelix felix;

    @BeforeAll
    static void startFelix() throws Exception {
        felix = EmbeddedFelix.builder(Files.createTempDirectory("herald-core-felix-"))
                .withScrAndConfigAdmin()
                .exportFromClassPath("herald-api")
                // as the launcher's system bundle (SystemPackages.LAUNCHER_SPI)
                .export("io.herald.launcher.spi;version=\"1.0.0\"")
                .install("jackson-annotations", "jackson-core", "jackson-databind", "jackson-datatype-jsr310", "jackson-datatype-jdk8")
                .installClasses(Path.of("target/classes"))
                .start();
        // Every call here is an admin's: status shows its details only to that role.
        felix.context().registerService(Authenticator.class,
                (request, connection) -> new Caller("test-admin", Set.of("admin"), "test"), null);
    }

    @AfterAll
    static void stopFelix() throws Exception {
        if (felix != null) {
            felix.close();
        }
    }

    /**
     * Sets the configuration and waits until the core's services carry it: a public marker property changes with every
     * edit, and DS updates the service properties after the modified method ran.
     */
    private static void configure(Map<String, ?> values) throws Exception {
        String revision = UUID.randomUUID().toString();
        Map<String, Object> marked = new HashMap<>(values);
        marked.put("test.revision", revision);
        felix.configure(PID, marked);
        for (Class<?> service : List.of(ServerIdentity.class, ActionRunner.class, ClusterBus.class)) {
            await(() -> {
                ServiceReference<?> reference = felix.context().getServiceReference(service.getName());
                return reference != null && revision.equals(reference.getProperty("test.revision"));
            }, service.getSimpleName() + " runs with the configuration");
        }
    }

    @Test
    void a_live_edit_keeps_every_service_and_takes_effect_and_no_service_property_holds_the_token() throws Exception {
        configure(Map.of(".serverToken", FIRST_TOKEN, "clusterHeartbeatMillis", "200", "clusterMemberTimeoutMillis", "60000"));
        TestTransport transport = new TestTransport();
        ServiceRegistration<ClusterTransport> registration = felix.context().registerService(ClusterTransport.class,
                transport, FrameworkUtil.asDictionary(Map.of(Constants.SERVICE_RANKING, 100)));
        Logger identityLog = (Logger) org.slf4j.LoggerFactory.getLogger(IDENTITY);
        ListAppender<ILoggingEvent> log = new ListAppender<>();
        log.start();
        identityLog.addAppender(log);
        try {
            await(() -> !transport.receivers.isEmpty(), "the bus moves to the highest-ranked transport");
            ClusterBus bus = felix.service(ClusterBus.class);
            ServerIdentity identity = felix.service(ServerIdentity.class);
            String id = identity.id();
            long identityId = felix.serviceId(ServerIdentity.class);
            long runnerId = felix.serviceId(ActionRunner.class);
            long busId = felix.serviceId(ClusterBus.class);
            assertEquals(List.of(), felix.servicePropertiesHolding(FIRST_TOKEN));
            assertEquals(List.of(), felix.servicePropertiesHolding("serverToken"), "nor even the key");

            transport.inject(heartbeat("node-x", SECOND_TOKEN));
            transport.inject(heartbeat("node-y", FIRST_TOKEN));
            await(() -> memberIds(bus).contains("node-y"), "a member signing with the token is heard");
            // delivered in order on one thread: node-x was handled before node-y
            assertFalse(memberIds(bus).contains("node-x"), "a member signing with another token is not");

            configure(Map.of(".serverToken", SECOND_TOKEN, "id", "renamed", "clusterHeartbeatMillis", "300",
                    "clusterMemberTimeoutMillis", "60000"));
            await(() -> {
                transport.inject(heartbeat("node-z", SECOND_TOKEN));
                return memberIds(bus).contains("node-z");
            }, "a member signing with the new token is heard");
            int sentBefore = transport.sent.size();
            await(() -> transport.sent.stream().skip(sentBefore).anyMatch(wire -> verifies(wire, SECOND_TOKEN)),
                    "the node signs with the new token");
            configure(Map.of(".serverToken", SECOND_TOKEN, "id", "renamed", "clusterHeartbeatMillis", "300",
                    "clusterMemberTimeoutMillis", "60000"));

            assertEquals(identityId, felix.serviceId(ServerIdentity.class), "ServerIdentity was not re-registered");
            assertEquals(runnerId, felix.serviceId(ActionRunner.class), "ActionRunner was not re-registered");
            assertEquals(busId, felix.serviceId(ClusterBus.class), "ClusterBus was not re-registered");
            assertTrue(memberIds(bus).contains("node-y"), "the node did not leave and rejoin the cluster");
            assertEquals(id, identity.id(), "the id is fixed while the node runs");
            List<String> warnings = log.list.stream().filter(e -> e.getLevel() == Level.WARN)
                    .map(ILoggingEvent::getFormattedMessage).toList();
            assertEquals(1, warnings.size(), warnings.toString());
            assertTrue(warnings.get(0).contains("the new id renamed applies at the next start"), warnings.get(0));
            assertEquals(List.of(), felix.servicePropertiesHolding(SECOND_TOKEN));
            assertEquals(List.of(), felix.servicePropertiesHolding(FIRST_TOKEN));
        } finally {
            identityLog.detachAppender(log);
            registration.unregister();
        }
    }

    @Test
    void the_token_under_its_public_key_is_refused_and_no_service_publishes_it() throws Exception {
        configure(Map.of(".serverToken", FIRST_TOKEN));
        long identityId = felix.serviceId(ServerIdentity.class);
        String publicToken = "public-s3cret-token";

        // a live edit: refused by the modified methods, the components keep the settings they had
        configure(Map.of("serverToken", publicToken));
        assertEquals(List.of(), felix.servicePropertiesHolding(publicToken));
        assertEquals(List.of(), felix.servicePropertiesHolding("serverToken"));
        assertEquals(identityId, felix.serviceId(ServerIdentity.class));
        assertFalse(felix.service(ServerIdentity.class).placeholderServerToken(), "still the secret token of before");

        // a start with it, as the launcher's: the identity fails to activate, saying what to write instead
        Bundle core = coreBundle();
        core.stop();
        core.start();
        await(() -> felix.activationFailure(IDENTITY) != null, "the identity refuses the configuration");
        String failure = felix.activationFailure(IDENTITY);
        assertTrue(failure.contains("org.osgi.service.cm.ConfigurationException: serverToken : is a secret")
                && failure.contains("write .serverToken instead"), failure);
        assertFalse(failure.contains(publicToken), "the refusal does not print the secret");
        assertEquals(List.of(), felix.servicePropertiesHolding(publicToken));

        configure(Map.of(".serverToken", FIRST_TOKEN));
        // SCR creates the component again at the next use of its service
        assertFalse(felix.service(ServerIdentity.class).placeholderServerToken());
        assertNull(felix.activationFailure(IDENTITY), "a fixed configuration activates the identity");
        assertEquals(200, run(felix.service(ActionRunner.class), "status").status(), "and the node serves again");
    }

    private static Bundle coreBundle() {
        for (Bundle bundle : felix.context().getBundles()) {
            if ("io.herald.core".equals(bundle.getSymbolicName())) {
                return bundle;
            }
        }
        throw new AssertionError("no io.herald.core bundle");
    }

    @Test
    void the_core_serves_chat_rooms_and_the_connections_of_its_transports() throws Exception {
        configure(Map.of(".serverToken", FIRST_TOKEN));
        ChatRooms rooms = felix.service(ChatRooms.class);
        ConnectionRegistry registry = felix.service(ConnectionRegistry.class);
        List<Object> received = new java.util.concurrent.CopyOnWriteArrayList<>();
        TransportConnection connection = TransportConnection.stateful("felix-ws-1", "websocket", "127.0.0.1", 1, "fp",
                new ClientChannel() {
                    @Override
                    public boolean send(Object message) {
                        return received.add(message);
                    }

                    @Override
                    public void close(String reason) {
                    }
                }, RequestMetadata.none());
        registry.opened(connection);
        try {
            assertTrue(felix.service(LocalConnections.class).holds("felix-ws-1"), "the bus can route to it");
            rooms.create("felix-room");
            rooms.join("felix-ws-1", "felix-room").toCompletableFuture().get(5, TimeUnit.SECONDS);
            rooms.say(connection, "felix-room", "over the in-process bus");
            await(() -> !received.isEmpty(), "the message comes back to the member");
            assertEquals("over the in-process bus", ((ChatMessage) received.get(0)).message());
        } finally {
            registry.closed(connection);
            rooms.destroy("felix-room");
        }
        assertFalse(felix.service(LocalConnections.class).holds("felix-ws-1"));
    }

    @Test
    void status_and_health_aggregate_the_indicators_and_the_launchers_deployments() throws Exception {
        configure(Map.of(".serverToken", FIRST_TOKEN));
        ActionRunner runner = felix.service(ActionRunner.class);
        await(() -> run(runner, "health").status() == 200, "the health action is registered and the node healthy");

        Instant since = Instant.parse("2026-01-01T00:00:00Z");
        Deployments launcher = () -> List.of(
                new Deployment("hello.jar", "io.herald.example.hello", "1.0.0", Deployment.State.ACTIVE, null, since),
                new Deployment("hello-2.jar", "io.herald.example.hello", "2.0.0", Deployment.State.REFUSED,
                        "hello-2.jar (io.herald.example.hello 2.0.0) cannot resolve: missing package org.nowhere", since));
        ServiceRegistration<Deployments> deployments = felix.context().registerService(Deployments.class, launcher, null);
        ServiceRegistration<HealthIndicator> disk = null;
        try {
            await(() -> "Degraded".equals(run(runner, "status").response().get("nodeStatus")),
                    "a refused jar degrades the node");
            Map<String, Object> status = run(runner, "status").response();
            assertEquals(List.of("deployments: hello-2.jar (io.herald.example.hello 2.0.0) cannot resolve: missing package"
                    + " org.nowhere"), status.get("problems"));
            List<?> listed = (List<?>) status.get("deployments");
            assertEquals(2, listed.size(), listed.toString());
            Map<?, ?> refused = (Map<?, ?>) listed.get(1);
            assertEquals("hello-2.jar", refused.get("file"));
            assertEquals("io.herald.example.hello", refused.get("bundle"));
            assertEquals("2.0.0", refused.get("version"));
            assertEquals("REFUSED", refused.get("state"));
            assertEquals("2026-01-01T00:00:00Z", refused.get("since"));
            assertNotNull(refused.get("problem"));
            ActionResult degraded = run(runner, "health");
            assertEquals(200, degraded.status(), "a degraded node still takes traffic");
            assertEquals(Map.of("nodeStatus", "Degraded", "problems", status.get("problems")), degraded.response());

            disk = felix.context().registerService(HealthIndicator.class,
                    () -> new Health("disk", Health.State.DOWN, Map.of("error", "no space left")), null);
            ActionResult unhealthy = run(runner, "health");
            assertEquals(503, unhealthy.status());
            assertEquals("Unhealthy", unhealthy.response().get("nodeStatus"));
            assertTrue(((List<?>) unhealthy.response().get("problems")).contains("disk is down: no space left"));
            ActionResult statusWhenUnhealthy = run(runner, "status");
            assertEquals(200, statusWhenUnhealthy.status(), "status keeps answering 200, as Actionhero's");
            assertEquals("Unhealthy", statusWhenUnhealthy.response().get("nodeStatus"));
            assertFalse(statusWhenUnhealthy.response().toString().contains(FIRST_TOKEN));
        } finally {
            if (disk != null) {
                disk.unregister();
            }
            deployments.unregister();
        }
        ActionResult healthy = run(runner, "health");
        assertEquals(200, healthy.status());
        assertEquals(Map.of("nodeStatus", "Healthy", "problems", List.of()), healthy.response());
        assertEquals(List.of(), run(runner, "status").response().get("deployments"), "no launcher, no deployments");
    }

    @Test
    void status_shows_the_project_and_the_jobs_the_task_queues_report_and_is_unhealthy_above_the_maximum()
            throws Exception {
        configure(Map.of(".serverToken", FIRST_TOKEN, "projectName", "shop-api", "projectDescription", "The shop's API",
                "projectVersion", "2.0.1", "maxResqueQueueLength", "5"));
        ActionRunner runner = felix.service(ActionRunner.class);
        await(() -> "shop-api".equals(run(runner, "status").response().get("name")), "status shows the configured project");
        Map<String, Object> status = run(runner, "status").response();
        assertEquals("The shop's API", status.get("description"));
        assertEquals("2.0.1", status.get("version"));
        assertEquals(0L, ((Number) status.get("resqueTotalQueueLength")).longValue(), "no tasks bundle, no queue");

        CountDownLatch release = new CountDownLatch(1);
        ServiceRegistration<TaskQueueLength> six = felix.context().registerService(TaskQueueLength.class, () -> 6L, null);
        ServiceRegistration<TaskQueueLength> hanging = null;
        try {
            await(() -> "Unhealthy".equals(run(runner, "status").response().get("nodeStatus")),
                    "six jobs waiting are over the maximum of five");
            Map<String, Object> over = run(runner, "status").response();
            assertEquals(6L, ((Number) over.get("resqueTotalQueueLength")).longValue());
            assertEquals(List.of("Resque Queues over 5 jobs (6 waiting)"), over.get("problems"));
            ActionResult health = run(runner, "health");
            assertEquals(200, health.status(), "the queues are the cluster's: no reason to take this node out");
            assertEquals("Healthy", health.response().get("nodeStatus"));

            hanging = felix.context().registerService(TaskQueueLength.class, () -> {
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return 0L;
            }, FrameworkUtil.asDictionary(Map.of(Constants.SERVICE_RANKING, 10)));
            await(() -> "Degraded".equals(run(runner, "status").response().get("nodeStatus")),
                    "queues that do not answer are a problem, not a hang");
            Map<String, Object> unread = run(runner, "status").response();
            assertNull(unread.get("resqueTotalQueueLength"));
            assertEquals(List.of("the task queues could not be read: no answer within 1000 ms"), unread.get("problems"));
        } finally {
            release.countDown();
            if (hanging != null) {
                hanging.unregister();
            }
            six.unregister();
        }
    }

    private static ActionResult run(ActionRunner runner, String action) {
        return runner.run(ActionRequest.of(action, Map.of(), new TransportConnection("felix", "web", "127.0.0.1", 0, "fp")));
    }

    private static List<String> memberIds(ClusterBus bus) {
        return bus.members().stream().map(ClusterMember::id).toList();
    }

    /**
     * A heartbeat from {@code sender}, sealed as the bus documents it (bundles/core/README.md): the envelope JSON as a
     * string under {@code body}, its HMAC-SHA256 keyed with the token under {@code sig}.
     */
    private static byte[] heartbeat(String sender, String token) {
        long now = System.currentTimeMillis();
        String body = "{\"v\":1,\"type\":\"heartbeat\",\"sender\":\"" + sender + "\",\"id\":\"" + UUID.randomUUID()
                + "\",\"sentAt\":" + now + ",\"payload\":{\"joinedAt\":" + now + ",\"instance\":\"" + sender + "\"}}";
        try {
            return JSON.writeValueAsBytes(Map.of("sig", Base64.getEncoder().encodeToString(hmac(body, token)), "body", body));
        } catch (JsonProcessingException e) {
            throw new AssertionError(e);
        }
    }

    private static boolean verifies(byte[] wire, String token) {
        try {
            JsonNode sealed = JSON.readTree(wire);
            return MessageDigest.isEqual(Base64.getDecoder().decode(sealed.get("sig").asText()),
                    hmac(sealed.get("body").asText(), token));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static byte[] hmac(String body, String token) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(token.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return mac.doFinal(body.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new AssertionError(e);
        }
    }

    /** A transport the test sees through: what the node sends, and messages from "other nodes" injected. */
    private static final class TestTransport implements ClusterTransport {

        final List<Consumer<byte[]>> receivers = new CopyOnWriteArrayList<>();
        final List<byte[]> sent = new CopyOnWriteArrayList<>();

        @Override
        public void send(byte[] message) {
            sent.add(message);
            inject(message); // every node receives, the sender too
        }

        @Override
        public AutoCloseable receive(Consumer<byte[]> receiver) {
            receivers.add(receiver);
            return () -> receivers.remove(receiver);
        }

        @Override
        public String describe() {
            return "test";
        }

        void inject(byte[] message) {
            receivers.forEach(receiver -> receiver.accept(message.clone()));
        }
    }
}
