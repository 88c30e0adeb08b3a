package io.herald.core.internal.connections;

import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;

import io.herald.api.ConnectionMiddleware;
import io.herald.core.properties.ServiceProperties;
import io.herald.api.Connections;
import io.herald.api.cache.Cache;
import io.herald.api.chat.ChatMiddleware;
import io.herald.api.chat.ChatRooms;
import io.herald.api.cluster.ClusterBus;
import io.herald.api.cluster.ClusterCallHandler;
import io.herald.api.cluster.ClusterException;
import io.herald.api.cluster.ClusterMethod;
import io.herald.api.spi.ConnectionRegistry;
import io.herald.api.spi.LocalConnections;
import io.herald.api.spi.Messages;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes the {@link ConnectionHub}: the registry transports announce their connections to, the cluster's
 * {@link Connections} and {@link ChatRooms}, and the {@link LocalConnections} the cluster bus routes by. Gathers
 * connection and chat middleware (the whiteboard), and serves the hub's cluster methods.
 *
 * <p>The bus and the cache are optional and dynamic: when Redis comes up or the core's configuration changes, their
 * services come and go, and the connections open on this node must not be dropped for it. Meanwhile the operations
 * that need them fail with a clear exception.
 */
@Component(service = {}, immediate = true)
public final class ConnectionsComponent {

    private static final String[] SERVICES = {ConnectionRegistry.class.getName(), Connections.class.getName(),
        ChatRooms.class.getName(), LocalConnections.class.getName()};

    private volatile ClusterBus bus;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile Cache cache;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile Messages messages;

    private final ConnectionHub hub = new ConnectionHub(() -> bus, () -> cache, () -> messages);
    private final List<ServiceRegistration<ClusterCallHandler>> handlers = new ArrayList<>();
    private ServiceRegistration<?> services;
    private static final Logger LOG = LoggerFactory.getLogger(ConnectionsComponent.class);

    private ClusterBus.Subscription chat;
    private ClusterBus subscribedOn;
    private boolean active;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    synchronized void bindBus(ClusterBus bound) {
        bus = bound;
        if (active) {
            subscribe();
        }
    }

    synchronized void unbindBus(ClusterBus unbound) {
        if (bus == unbound) {
            bus = null;
            closeSubscription();
        }
    }

    @Activate
    synchronized void activate(BundleContext context) {
        active = true;
        for (Map.Entry<String, ClusterCallHandler> handler : hub.clusterHandlers().entrySet()) {
            Dictionary<String, Object> properties = new Hashtable<>();
            properties.put(ClusterMethod.PROPERTY, handler.getKey());
            handlers.add(context.registerService(ClusterCallHandler.class, handler.getValue(), properties));
        }
        subscribe();
        // Registered by hand: DS publishes only the component object, and the hub is one object serving all four.
        services = context.registerService(SERVICES, hub, null);
    }

    @Deactivate
    synchronized void deactivate() {
        active = false;
        if (services != null) {
            try {
                services.unregister();
            } catch (IllegalStateException alreadyGone) {
                // the bundle is stopping: the framework unregistered it already
            }
            services = null;
        }
        for (ServiceRegistration<ClusterCallHandler> registration : handlers) {
            try {
                registration.unregister();
            } catch (IllegalStateException alreadyGone) {
                // the bundle is stopping: the framework unregistered it already
            }
        }
        handlers.clear();
        closeSubscription();
    }

    /** Listens for chat on the current bus; called again when the bus service changes. */
    private void subscribe() {
        ClusterBus current = bus;
        if (current == null || current == subscribedOn) {
            return;
        }
        closeSubscription();
        try {
            chat = current.subscribe(ConnectionHub.CHAT_CHANNEL, hub::deliver);
            subscribedOn = current;
        } catch (ClusterException stopped) {
            LOG.warn("chat messages from other nodes are not received until the cluster bus runs: {}", stopped.getMessage());
        }
    }

    private void closeSubscription() {
        if (chat != null) {
            chat.close();
            chat = null;
        }
        subscribedOn = null;
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addConnectionMiddleware(ConnectionMiddleware middleware, Map<String, Object> properties) {
        hub.addConnectionMiddleware(middleware, properties, ServiceProperties.serviceId(properties));
    }

    void removeConnectionMiddleware(ConnectionMiddleware middleware) {
        hub.removeConnectionMiddleware(middleware);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addChatMiddleware(ChatMiddleware middleware, Map<String, Object> properties) {
        hub.addChatMiddleware(middleware, properties, ServiceProperties.serviceId(properties));
    }

    void removeChatMiddleware(ChatMiddleware middleware) {
        hub.removeChatMiddleware(middleware);
    }

}
