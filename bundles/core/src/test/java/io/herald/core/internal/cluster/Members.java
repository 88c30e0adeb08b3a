package io.herald.core.internal.cluster;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import io.herald.api.cluster.ClusterMember;

/** What a test node knows of its cluster: membership arrives on the bus's own thread, so tests wait for it. */
final class Members {

    private Members() {
    }

    /** Waits (at most 10 s) until {@code node} knows exactly {@code expected}. */
    static void await(ClusterNode node, Set<String> expected) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!ids(node).equals(expected)) {
            assertTrue(System.nanoTime() < deadline, node.nodeId() + " knows " + ids(node) + ", expected " + expected);
            Thread.sleep(20);
        }
    }

    static Set<String> ids(ClusterNode node) {
        return node.members().stream().map(ClusterMember::id).collect(Collectors.toSet());
    }
}
