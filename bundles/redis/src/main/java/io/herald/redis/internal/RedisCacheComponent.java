package io.herald.redis.internal;

import java.util.Dictionary;
import java.util.Hashtable;

import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

import io.herald.api.cache.Cache;
import io.herald.api.spi.ServerIdentity;
import io.herald.core.json.HeraldJson;
import io.herald.redis.RedisConnection;

/**
 * Publishes the {@link RedisCache} while its connection exists, with {@code service.ranking} 0 so it wins over the
 * in-process cache (-1000). The connection is chosen by the reference's target filter, by default the {@code client}
 * connection (Actionhero's cache runs on its {@code client} Redis); {@code io.herald.redis.cache.cfg} may set
 * {@code connection.target = (herald.redis.connection=cache)} to use another.
 *
 * <p>The reference is optional and the Cache is registered by hand: a node without Redis configuration has no
 * connection, and a mandatory reference would leave this component unsatisfied, which the launcher's start-up check
 * reports as a failure.
 */
@Component(configurationPid = "io.herald.redis.cache", configurationPolicy = ConfigurationPolicy.OPTIONAL,
        immediate = true)
public final class RedisCacheComponent {

    static final String DEFAULT_TARGET = "(" + RedisConnection.NAME_PROPERTY + "=client)";

    @Reference
    private ServerIdentity identity;

    private BundleContext context;
    private RedisConnection connection;
    private ServiceRegistration<Cache> registration;

    @Activate
    synchronized void activate(BundleContext context) {
        this.context = context;
        publish();
    }

    @Deactivate
    synchronized void deactivate() {
        withdraw();
        context = null;
    }

    @Reference(name = "connection", cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, target = DEFAULT_TARGET)
    synchronized void bindConnection(RedisConnection connection) {
        withdraw();
        this.connection = connection;
        publish();
    }

    synchronized void unbindConnection(RedisConnection connection) {
        if (this.connection == connection) {
            withdraw();
            this.connection = null;
        }
    }

    private void publish() {
        if (context == null || connection == null || registration != null) {
            return;
        }
        Dictionary<String, Object> properties = new Hashtable<>();
        properties.put(Constants.SERVICE_RANKING, 0);
        properties.put("herald.cache.store", "redis");
        properties.put(RedisConnection.NAME_PROPERTY, connection.name());
        RedisCache cache = new RedisCache(connection, identity.id(), HeraldJson.mapper());
        registration = context.registerService(Cache.class, cache, properties);
    }

    private void withdraw() {
        if (registration != null) {
            try {
                registration.unregister();
            } catch (IllegalStateException alreadyGone) {
                // the bundle is stopping
            }
            registration = null;
        }
    }
}
