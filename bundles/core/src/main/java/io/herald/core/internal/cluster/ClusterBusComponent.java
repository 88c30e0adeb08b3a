package io.herald.core.internal.cluster;

import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import io.herald.core.json.HeraldJson;

import io.herald.api.cluster.ClusterBus;
import io.herald.api.cluster.ClusterCallHandler;
import io.herald.api.cluster.ClusterException;
import io.herald.api.cluster.ClusterMember;
import io.herald.api.cluster.ClusterMessage;
import io.herald.api.cluster.ClusterMethod;
import io.herald.api.cluster.ClusterReply;
import io.herald.api.spi.ClusterTransport;
import io.herald.api.spi.HealthIndicator;
import io.herald.api.spi.LocalConnections;
import io.herald.api.spi.ServerIdentity;
import io.herald.core.internal.CoreConfig;
import io.herald.core.internal.CoreSettings;
import io.herald.core.internal.DescribesTransport;

import org.osgi.service.cm.ConfigurationException;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.slf4j.LoggerFactory;

/**
 * Publishes this node's {@link ClusterBus} and its health. The bus runs over the highest-ranked
 * {@link ClusterTransport} (greedy: it moves when a better one appears, e.g. the Redis bundle starting, and back to the
 * in-process loopback when that one goes), signs with the {@code .serverToken} of PID {@code io.herald.core}, runs the
 * {@link ClusterCallHandler} services (the whiteboard) and asks the {@link LocalConnections} services which client
 * connections this node holds.
 */
@Component(service = {ClusterBus.class, HealthIndicator.class}, configurationPid = "io.herald.core",
        configurationPolicy = ConfigurationPolicy.OPTIONAL, immediate = true)
public final class ClusterBusComponent implements ClusterBus, HealthIndicator, DescribesTransport {

    private final CallHandlers handlers = new CallHandlers();
    private final List<LocalConnections> connections = new CopyOnWriteArrayList<>();

    @Reference
    private ServerIdentity identity;

    private ClusterTransport transport;
    private volatile ClusterNode node;

    @Activate
    synchronized void activate(CoreConfig config, Map<String, Object> properties) throws ConfigurationException {
        ClusterNode.Settings settings = settings(CoreSettings.read(config, properties));
        ClusterNode started = new ClusterNode(settings, HeraldJson.mapper(), handlers,
                this::holdsConnection);
        started.start(transport);
        node = started;
    }

    /**
     * A new token, heartbeat or member timeout applies to the running node: this node stays in the cluster and the
     * {@link ClusterBus} service stays registered, so nothing that uses it restarts.
     */
    @Modified
    synchronized void modified(CoreConfig config, Map<String, Object> properties) throws ConfigurationException {
        node.reconfigure(settings(CoreSettings.read(config, properties)));
    }

    private ClusterNode.Settings settings(CoreSettings core) throws ConfigurationException {
        core.requireSecretToken(identity.isProduction());
        if (core.serverToken().isBlank()) {
            LoggerFactory.getLogger(ClusterNode.LOGGER).warn("serverToken is empty: any node without a token can "
                    + "send to and call this one. Set .serverToken (HERALD_SERVER_TOKEN) to the same secret on every node");
        }
        return new ClusterNode.Settings(identity.id(), core.serverToken(), core.clusterHeartbeat(),
                core.clusterMemberTimeout());
    }

    @Deactivate
    synchronized void deactivate() {
        node.stop();
        node = null;
    }

    @Reference(policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    synchronized void bindTransport(ClusterTransport newTransport) {
        // Greedy and dynamic: DS binds a better transport before it unbinds the one in use, so the bus is never without.
        transport = newTransport;
        if (node != null) {
            node.switchTransport(newTransport);
        }
    }

    synchronized void unbindTransport(ClusterTransport oldTransport) {
        if (transport == oldTransport) {
            transport = null; // only while deactivating: the reference is mandatory
        }
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, target = "(" + ClusterMethod.PROPERTY + "=*)")
    void addHandler(ClusterCallHandler handler, Map<String, Object> properties) {
        int ranking = properties.get("service.ranking") instanceof Integer r ? r : 0;
        long serviceId = properties.get("service.id") instanceof Long id ? id : Long.MAX_VALUE;
        for (String method : methods(properties.get(ClusterMethod.PROPERTY))) {
            handlers.add(method, handler, ranking, serviceId);
        }
    }

    void removeHandler(ClusterCallHandler handler) {
        handlers.remove(handler);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addConnections(LocalConnections holder) {
        connections.add(holder);
    }

    void removeConnections(LocalConnections holder) {
        connections.remove(holder);
    }

    private boolean holdsConnection(String connectionId) {
        for (LocalConnections holder : connections) {
            if (holder.holds(connectionId)) {
                return true;
            }
        }
        return false;
    }

    /** The method names of a handler: one, or several when the property is multi-valued. */
    static List<String> methods(Object property) {
        if (property instanceof String[] names) {
            return List.of(names);
        }
        if (property instanceof Collection<?> names) {
            return names.stream().map(String::valueOf).toList();
        }
        return property == null ? List.of() : List.of(property.toString());
    }

    @Override
    public Health health() {
        ClusterNode current = node;
        if (current == null) {
            return new Health("cluster", Health.State.DOWN, Map.of("reason", "the cluster bus is stopped"));
        }
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("transport", current.transportDescription());
        details.put("members", current.members().stream().map(ClusterMember::id).toList());
        details.put("droppedMessages", current.droppedMessages());
        current.sendFailure().ifPresent(failure -> details.put("error", failure));
        // A node that cannot send still serves its own clients: degraded, not down.
        Health.State state = current.sendFailure().isPresent() ? Health.State.DEGRADED : Health.State.UP;
        return new Health("cluster", state, details);
    }

    @Override
    public String transportDescription() {
        ClusterNode current = node;
        return current == null ? "none" : current.transportDescription();
    }

    @Override
    public String nodeId() {
        return node().nodeId();
    }

    @Override
    public void publish(String channel, Object message) {
        node().publish(channel, message);
    }

    @Override
    public Subscription subscribe(String channel, Consumer<ClusterMessage> listener) {
        return node().subscribe(channel, listener);
    }

    @Override
    public CompletionStage<List<ClusterReply>> callAll(String method, Map<String, ?> args, Duration timeout) {
        return node().callAll(method, args, timeout);
    }

    @Override
    public CompletionStage<ClusterReply> callConnectionOwner(String connectionId, String method, Map<String, ?> args,
            Duration timeout) {
        return node().callConnectionOwner(connectionId, method, args, timeout);
    }

    @Override
    public List<ClusterMember> members() {
        return node().members();
    }

    private ClusterNode node() {
        ClusterNode current = node;
        if (current == null) {
            throw new ClusterException("the cluster bus is stopped");
        }
        return current;
    }
}
