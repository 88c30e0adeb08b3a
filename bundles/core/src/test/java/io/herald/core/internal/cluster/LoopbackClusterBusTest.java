package io.herald.core.internal.cluster;

import io.herald.api.spi.ClusterTransport;
import io.herald.core.cluster.ClusterBusContract;

/** The cluster bus over the in-process transport of the embedded default: every node of a test shares one loopback. */
class LoopbackClusterBusTest extends ClusterBusContract {

    private final LoopbackTransport loopback = new LoopbackTransport();

    @Override
    protected ClusterTransport transportFor(String nodeId) {
        return loopback;
    }
}
