package io.herald.launcher.internal;

import java.util.Map;

import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.condition.Condition;

/**
 * The node's readiness condition ({@code osgi.condition.id=herald.ready}, io.herald.api.spi.NodeReady): declared once
 * the role and everything in {@code deploy/} at start are live, so servers open their ports and workers take jobs only
 * then; withdrawn first when the node stops, so they close and finish what is in flight while every action and task is
 * still there. Actionhero orders the same way with its initializers' start and stop priorities: servers start last and
 * stop first.
 */
final class NodeReadiness {

    static final String CONDITION_ID = "herald.ready";

    private final BundleContext context;
    private ServiceRegistration<Condition> registration;

    NodeReadiness(BundleContext context) {
        this.context = context;
    }

    synchronized void declare() {
        if (registration == null) {
            registration = context.registerService(Condition.class, Condition.INSTANCE,
                    FrameworkUtil.asDictionary(Map.of(Condition.CONDITION_ID, CONDITION_ID)));
        }
    }

    /**
     * Withdraws the condition; returns once what waited for it has stopped (Declarative Services deactivates those
     * components on this thread, while the service unregisters).
     */
    synchronized void withdraw() {
        if (registration != null) {
            try {
                registration.unregister();
            } catch (IllegalStateException alreadyGone) {
                // the framework stopped first
            }
            registration = null;
        }
    }
}
