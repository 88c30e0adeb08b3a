package io.herald.core.internal.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.json.JsonMapper;

import io.herald.api.cluster.ClusterMessage;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A node moves to a better transport (the Redis bundle starting) and back (it stopping), as the core's greedy
 * reference makes it: it then talks only with the nodes of the new transport.
 */
class TransportSwitchTest {

    private final LoopbackTransport embedded = new LoopbackTransport();
    private final LoopbackTransport shared = new LoopbackTransport();
    private final ClusterNode a = node("a");
    private final ClusterNode b = node("b");

    private ClusterNode node(String id) {
        return new ClusterNode(new ClusterNode.Settings(id, "t", Duration.ofMillis(200), Duration.ofSeconds(3)),
                JsonMapper.builder().build(), new CallHandlers(), connection -> false);
    }

    @AfterEach
    void stop() {
        a.stop();
        b.stop();
    }

    @Test
    void a_node_that_switches_transport_talks_to_the_nodes_of_the_new_one_only() throws Exception {
        a.start(embedded);
        b.start(shared);
        Members.await(a, Set.of("a"));
        BlockingQueue<ClusterMessage> atB = new LinkedBlockingQueue<>();
        b.subscribe("news", atB::add);

        a.switchTransport(shared);
        assertSame(shared, a.transport());
        Members.await(a, Set.of("a", "b"));
        Members.await(b, Set.of("a", "b"));
        a.publish("news", "over the shared transport");
        assertEquals("over the shared transport", atB.poll(10, TimeUnit.SECONDS).payload(String.class));

        a.switchTransport(embedded);
        Members.await(a, Set.of("a"));
        Members.await(b, Set.of("b")); // a said goodbye on the transport it left
        assertEquals(List.of("a"), a.callAll("herald.none", Map.of(), Duration.ofSeconds(10))
                .toCompletableFuture().get(15, TimeUnit.SECONDS).stream().map(r -> r.nodeId()).toList());
    }
}
