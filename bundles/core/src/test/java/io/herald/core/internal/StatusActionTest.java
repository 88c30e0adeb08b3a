package io.herald.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.json.JsonMapper;

import io.herald.api.cluster.ClusterBus;
import io.herald.api.spi.HealthIndicator;
import io.herald.api.spi.HealthIndicator.Health;
import io.herald.core.internal.cluster.CallHandlers;
import io.herald.core.internal.cluster.ClusterBusComponent;
import io.herald.core.internal.cluster.ClusterNode;
import io.herald.core.internal.cluster.LoopbackTransport;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class StatusActionTest {

    private final NodeIdentity identity = new NodeIdentity("node-1", "test", Instant.parse("2026-01-01T00:00:00Z"));
    private final List<ClusterNode> started = new ArrayList<>();

    @AfterEach
    void stopNodes() {
        started.forEach(ClusterNode::stop);
    }

    private static final HealthReport HEALTHY = HealthReport.of(List.of(), 100, 1, 100);
    private static final ProjectInfo PROJECT = ProjectInfo.of("my-api", "My API", "1.2.0");
    private static final QueueLengthReader.Reading NONE_WAITING = QueueLengthReader.Reading.NO_QUEUES;

    private Map<String, Object> report(HealthReport health, ClusterBus bus, Instant now) {
        return StatusAction.report(identity, PROJECT, health, NONE_WAITING, bus, now);
    }

    @Test
    void reports_identity_uptime_memory_and_the_health_report() {
        HealthIndicator tasks = () -> new Health("tasks", Health.State.DEGRADED, Map.of("warning", "no worker"));
        Map<String, Object> status = StatusAction.report(identity, PROJECT, HealthReport.of(List.of(tasks), 100, 1, 100),
                new QueueLengthReader.Reading(7L, null), null, Instant.parse("2026-01-01T00:00:05Z"));
        assertEquals("node-1", status.get("id"));
        assertEquals(5000L, status.get("uptime"));
        assertEquals("my-api", status.get("name"));
        assertEquals("My API", status.get("description"));
        assertEquals("1.2.0", status.get("version"));
        assertEquals(7L, status.get("resqueTotalQueueLength"));
        assertTrue((Long) status.get("consumedMemoryMB") >= 0);
        assertEquals("Degraded", status.get("nodeStatus"));
        assertEquals(List.of("tasks is degraded: no worker"), status.get("problems"));
        assertEquals(Map.of("tasks", Map.of("state", "DEGRADED", "warning", "no worker")), status.get("health"));
        assertEquals(List.of(), status.get("deployments"), "no launcher, nothing deployed");
        // Actionhero's fields first, in its order, then Herald's
        assertEquals(List.of("id", "heraldVersion", "name", "description", "version", "uptime", "consumedMemoryMB",
                "resqueTotalQueueLength", "nodeStatus", "problems", "environment", "memory", "health", "deployments",
                "cluster"), List.copyOf(status.keySet()));
    }

    @Test
    void without_a_cluster_bus_the_status_still_answers_and_says_so() {
        Map<String, Object> status = report(HEALTHY, null, Instant.now());
        assertEquals(Map.of("transport", "none", "members", List.of()), status.get("cluster"));
        assertEquals("Healthy", status.get("nodeStatus"), "a node without a bus is not unhealthy for it");
    }

    @Test
    void the_cluster_shows_the_transport_and_every_member_this_node_sees() throws InterruptedException {
        LoopbackTransport loopback = new LoopbackTransport();
        ClusterNode self = node("node-1", loopback);
        node("node-2", loopback);
        awaitMembers(self, 2);

        Map<String, Object> cluster = cluster(report(HEALTHY, self, Instant.now()));
        assertEquals("in-process", cluster.get("transport"));
        List<?> members = (List<?>) cluster.get("members");
        assertEquals(List.of("node-1", "node-2"), members.stream().map(m -> ((Map<?, ?>) m).get("id")).toList());
        for (Object member : members) {
            Map<?, ?> entry = (Map<?, ?>) member;
            assertEquals(2, entry.size(), "id and lastSeen: " + entry);
            // an ISO-8601 string, so every transport's JSON writer prints it the same way
            Instant.parse((String) entry.get("lastSeen"));
        }
    }

    @Test
    void a_stopped_bus_shows_no_transport_and_no_members_and_does_not_fail_the_status() {
        // The component as DS leaves it between deactivate and activate: no node behind it.
        Map<String, Object> cluster = cluster(report(HEALTHY, new ClusterBusComponent(), Instant.now()));
        assertEquals("none", cluster.get("transport"));
        assertEquals(List.of(), cluster.get("members"));
        assertEquals("the cluster bus is stopped", cluster.get("error"));
    }

    private ClusterNode node(String id, LoopbackTransport loopback) {
        ClusterNode node = new ClusterNode(ClusterNode.Settings.of(id, "secret"), JsonMapper.builder().build(),
                new CallHandlers(), connectionId -> false);
        node.start(loopback);
        started.add(node);
        return node;
    }

    /** Joins are delivered on the bus's own thread: wait (bounded) until they arrived. */
    private static void awaitMembers(ClusterNode node, int count) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (node.members().size() < count) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(node.nodeId() + " sees only " + node.members());
            }
            Thread.sleep(10);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> cluster(Map<String, Object> status) {
        return (Map<String, Object>) status.get("cluster");
    }

    @Test
    void without_the_admin_role_only_the_public_fields_show() {
        Map<String, Object> status = StatusAction.publicReport(identity, HEALTHY, Instant.now());
        assertEquals(List.of("id", "heraldVersion", "uptime", "nodeStatus", "details"), List.copyOf(status.keySet()));
        assertEquals("requires the admin role", status.get("details"));
        assertEquals(identity.id(), status.get("id"));
        assertEquals(HEALTHY.nodeStatus(), status.get("nodeStatus"));
    }

    @Test
    void more_jobs_waiting_than_the_maximum_make_the_node_unhealthy_with_actionheros_problem_line() {
        HealthReport atMaximum = StatusAction.checkQueues(HEALTHY, new QueueLengthReader.Reading(1000L, null), 1000);
        assertEquals("Healthy", atMaximum.nodeStatus(), "Actionhero: over the maximum, not at it");
        assertEquals(List.of(), atMaximum.problems());

        HealthReport over = StatusAction.checkQueues(HEALTHY, new QueueLengthReader.Reading(1001L, null), 1000);
        assertEquals("Unhealthy", over.nodeStatus());
        assertEquals(List.of("Resque Queues over 1000 jobs (1001 waiting)"), over.problems());
        assertEquals(HEALTHY.health(), over.health(), "the parts' health is untouched");
    }

    @Test
    void queues_that_cannot_be_read_degrade_a_healthy_node_and_leave_an_unhealthy_one_unhealthy() {
        QueueLengthReader.Reading unread = new QueueLengthReader.Reading(null, "the task queues could not be read: down");
        HealthReport degraded = StatusAction.checkQueues(HEALTHY, unread, 1000);
        assertEquals("Degraded", degraded.nodeStatus());
        assertEquals(List.of("the task queues could not be read: down"), degraded.problems());

        HealthIndicator redis = () -> new Health("redis.tasks", Health.State.DOWN, Map.of("error", "refused"));
        HealthReport unhealthy = StatusAction.checkQueues(HealthReport.of(List.of(redis), 100, 1, 100), unread, 1000);
        assertEquals("Unhealthy", unhealthy.nodeStatus());
        assertEquals(List.of("redis.tasks is down: refused", "the task queues could not be read: down"),
                unhealthy.problems());

        Map<String, Object> status = StatusAction.report(identity, PROJECT, degraded, unread, null, Instant.now());
        assertTrue(status.containsKey("resqueTotalQueueLength"), "the field is there, as in Actionhero's answer");
        assertEquals(null, status.get("resqueTotalQueueLength"), "unknown, not a made-up 0");
    }

    @Test
    void the_project_defaults_to_the_distribution_and_blank_values_count_as_unset() {
        ProjectInfo defaults = ProjectInfo.of("", " ", null);
        assertEquals("herald", defaults.name());
        assertEquals("A Herald API server", defaults.description());
        assertEquals(HeraldVersion.VALUE, defaults.version());
        assertEquals(new ProjectInfo("shop", "The shop's API", "3.1.4"), ProjectInfo.of(" shop ", "The shop's API", "3.1.4"));
    }
}
