package io.herald.core.internal.cluster;

import java.util.Map;

import io.herald.api.cluster.ClusterCallHandler;
import io.herald.api.cluster.ClusterMethod;
import io.herald.api.spi.ServerIdentity;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * The built-in cluster method {@value #METHOD}: each node answers with who it is. {@code callAll("herald.ping")} is the
 * quickest check that every node is reachable and shares the {@code serverToken}.
 */
@Component
@ClusterMethod(PingHandler.METHOD)
public final class PingHandler implements ClusterCallHandler {

    static final String METHOD = "herald.ping";

    private final ServerIdentity identity;

    @Activate
    public PingHandler(@Reference ServerIdentity identity) {
        this.identity = identity;
    }

    @Override
    public Object handle(Map<String, Object> args) {
        return Map.of("id", identity.id(), "version", identity.version(), "environment", identity.environment(),
                "startedAt", identity.startedAt().toString());
    }
}
