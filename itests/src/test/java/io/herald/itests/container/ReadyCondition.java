package io.herald.itests.container;

import java.util.Map;

import io.herald.api.spi.NodeReady;

import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.condition.Condition;

/**
 * The node's readiness ({@link NodeReady}) in a container without the launcher: the test registers the condition when
 * its node is "up" (servers open their ports, workers take jobs) and unregisters it to "stop" the node first, as the
 * launcher does on SIGTERM.
 */
final class ReadyCondition {

    private ReadyCondition() {
    }

    static ServiceRegistration<Condition> register(BundleContext context) {
        return context.registerService(Condition.class, Condition.INSTANCE,
                FrameworkUtil.asDictionary(Map.of(Condition.CONDITION_ID, NodeReady.CONDITION_ID)));
    }
}
