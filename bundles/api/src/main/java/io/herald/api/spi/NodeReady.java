package io.herald.api.spi;

/**
 * The node's readiness, as an OSGi condition (Core R8 {@code org.osgi.service.condition.Condition}).
 *
 * <p>Whoever runs the framework (the launcher, a test) registers a {@code Condition} service with
 * {@code osgi.condition.id=herald.ready} once the node's bundles and everything in {@code deploy/} at start are live,
 * and unregisters it first when the node stops, before any bundle stops. What serves clients or takes work waits for
 * it: a server component declares it as its satisfying condition
 * ({@code @SatisfyingConditionTarget(NodeReady.TARGET)}, Declarative Services 1.5), so it opens its port only when
 * every action is there and closes it (draining what is in flight) before any action leaves; task workers take jobs
 * only while it exists. Actionhero gets the same order from its initializer priorities: servers start last and stop
 * first.
 *
 * @since 1.3
 */
public final class NodeReady {

    /** The {@code osgi.condition.id} of the node's readiness condition. */
    public static final String CONDITION_ID = "herald.ready";

    /** A service filter matching the readiness condition. */
    public static final String TARGET = "(osgi.condition.id=" + CONDITION_ID + ")";

    private NodeReady() {
    }
}
