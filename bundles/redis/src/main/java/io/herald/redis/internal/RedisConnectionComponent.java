package io.herald.redis.internal;

import java.util.Dictionary;
import java.util.Hashtable;
import java.util.Locale;
import java.util.Map;

import org.osgi.annotation.bundle.Header;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.ConfigurationException;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.herald.api.spi.HealthIndicator;
import io.herald.redis.RedisConnection;

/**
 * One factory configuration of {@code io.herald.redis.connection} = one named connection. It registers its services
 * itself rather than through DS because what it publishes depends on the configuration: a configuration that names no
 * Redis publishes nothing (the node runs on the embedded default), a wrong one publishes only a DOWN health entry.
 * Activation does not fail for a wrong value or for anything Redis does: the launcher refuses to start a node with a
 * failed Herald component, and a node must serve what does not need Redis. It fails for one mistake only: a secret
 * written under its public key ({@code password} instead of {@code .password}), refused with a
 * {@link ConfigurationException} so the node does not run with a public secret nor silently without the password.
 * There is no modified method: an edit restarts the connection, and activate checks it again.
 */
@Component(configurationPid = ConnectionConfig.FACTORY_PID, configurationPolicy = ConfigurationPolicy.REQUIRE)
@Designate(ocd = ConnectionConfig.class, factory = true)
@Header(name = "Herald-Install-When",
        value = ConnectionConfig.FACTORY_PID + ";filter:=\"" + RedisConnectionComponent.NAMES_A_REDIS + "\"")
public final class RedisConnectionComponent {

    /**
     * Which connection configurations name a Redis, as an OSGi filter over their non-blank values: those
     * {@link ConnectionSettings#parse} does not return {@code null} for (a host or URL, sentinels or cluster nodes, or an
     * explicit mode, whose missing address only this bundle can report). The launcher reads it from the manifest
     * ({@code Herald-Install-When}) and installs the {@code herald-redis} feature only while a staged connection matches
     * it: a node without Redis configuration does not load the Redis client for nothing.
     */
    static final String NAMES_A_REDIS = "(|(host=*)(.url=*)(sentinels=*)(clusterNodes=*)(&(mode=*)(!(mode~=auto))))";

    private static final Logger LOG = LoggerFactory.getLogger(RedisConnectionComponent.class);
    private static final String FILE_NAME_PROPERTY = "felix.fileinstall.filename";

    private HaRedisConnection connection;
    private ServiceRegistration<RedisConnection> connectionRegistration;
    private ServiceRegistration<HealthIndicator> healthRegistration;

    @Activate
    void activate(BundleContext context, Map<String, Object> properties) throws ConfigurationException {
        ConnectionSettings.refusePublicSecrets(properties);
        String fallbackName = nameFromFile(properties);
        ConnectionSettings settings;
        try {
            settings = ConnectionSettings.parse(properties, fallbackName);
        } catch (IllegalArgumentException e) {
            String name = properties.getOrDefault("name", "").toString().isBlank() ? fallbackName
                    : properties.get("name").toString().trim();
            LOG.error("Redis connection '{}' is not started: configuration error: {}", name, e.getMessage());
            healthRegistration = context.registerService(HealthIndicator.class,
                    ConnectionHealth.misconfigured(name, e.getMessage()), null);
            return;
        }
        if (settings == null) {
            LOG.info("Redis connection '{}' is not configured (no host, sentinels or clusterNodes): this node runs on"
                    + " the embedded default", fallbackName);
            return;
        }
        connection = new HaRedisConnection(settings);
        connection.start();
        Dictionary<String, Object> serviceProperties = new Hashtable<>();
        serviceProperties.put(RedisConnection.NAME_PROPERTY, settings.name());
        serviceProperties.put("herald.redis.mode", settings.mode().name().toLowerCase(Locale.ROOT));
        connectionRegistration = context.registerService(RedisConnection.class, connection, serviceProperties);
        healthRegistration = context.registerService(HealthIndicator.class, ConnectionHealth.of(connection), null);
        LOG.debug("Redis connection '{}': {} {}", settings.name(), settings.mode(), settings.address());
    }

    @Deactivate
    void deactivate() {
        unregister(connectionRegistration);
        unregister(healthRegistration);
        if (connection != null) {
            connection.close();
        }
    }

    private static void unregister(ServiceRegistration<?> registration) {
        if (registration != null) {
            try {
                registration.unregister();
            } catch (IllegalStateException alreadyGone) {
                // the bundle is stopping and the framework unregistered it
            }
        }
    }

    /** FileInstall names {@code io.herald.redis.connection-client.cfg} "client"; else the configuration's PID. */
    static String nameFromFile(Map<String, Object> properties) {
        Object file = properties.get(FILE_NAME_PROPERTY);
        if (file != null) {
            String path = file.toString();
            String base = path.substring(path.lastIndexOf('/') + 1);
            String prefix = ConnectionConfig.FACTORY_PID + "-";
            if (base.startsWith(prefix) && base.endsWith(".cfg")) {
                return base.substring(prefix.length(), base.length() - ".cfg".length());
            }
        }
        return String.valueOf(properties.getOrDefault("service.pid", "unnamed"));
    }
}
