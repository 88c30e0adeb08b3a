package io.herald.redis.internal;

import java.util.Dictionary;
import java.util.Hashtable;

import io.herald.api.spi.ClusterTransport;
import io.herald.api.spi.ServerIdentity;
import io.herald.redis.RedisConnection;

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
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes the Redis {@link ClusterTransport} while both the {@code client} and the {@code subscriber} connections
 * exist. It ranks above the core's in-process transport, so the cluster bus moves to Redis as soon as Redis is
 * configured, and back to in-process when it goes. Like the Redis cache, the component itself is always active (a node
 * without Redis is not a failed start): only the service comes and goes. Optional configuration PID
 * {@code io.herald.redis.cluster}.
 *
 * <p>A process that runs one command of {@code bin/herald} and exits (the framework property {@code herald.command},
 * e.g. {@code herald task enqueue}) publishes no transport: its bus stays in-process, so it does not join the cluster
 * as a member for the second it lives (every node would log it joining and leaving).
 *
 * <p>Development nodes share the placeholder {@code .serverToken} ({@code change-me}); over the in-process transport
 * that harms nobody, over a shared Redis it lets any node on that Redis into the cluster. So the first time the
 * transport is published with such a token, one WARN says so and how to set a token.
 */
@Component(configurationPid = "io.herald.redis.cluster", configurationPolicy = ConfigurationPolicy.OPTIONAL,
        immediate = true)
@Designate(ocd = RedisClusterTransportComponent.Config.class)
public final class RedisClusterTransportComponent {

    @ObjectClassDefinition(name = "Herald cluster bus over Redis")
    public @interface Config {

        @AttributeDefinition(description = "The pub/sub channel every node of the cluster uses (Actionhero's general.channel).")
        String channel() default "herald";

        @AttributeDefinition(name = "publisher.target", description = "The connection messages are published through.")
        String publisher_target() default "(herald.redis.connection=client)";

        @AttributeDefinition(name = "subscriber.target", description = "The connection that subscribes to the channel.")
        String subscriber_target() default "(herald.redis.connection=subscriber)";
    }

    private static final Logger LOG = LoggerFactory.getLogger(RedisClusterTransportComponent.class);
    /** Set by the launcher while the process runs a command ({@code io.herald.launcher.spi.Command#NAME}). */
    static final String COMMAND_PROPERTY = "herald.command";

    @Reference
    private ServerIdentity identity;

    private BundleContext context;
    private boolean warnedOfPlaceholderToken;
    private boolean command;
    private String channel;
    private RedisConnection publisher;
    private RedisConnection subscriber;
    private ServiceRegistration<ClusterTransport> registration;

    @Activate
    synchronized void activate(BundleContext context, Config config) {
        this.context = context;
        this.channel = config.channel();
        this.warnedOfPlaceholderToken = false;
        this.command = context.getProperty(COMMAND_PROPERTY) != null;
        publish();
    }

    @Deactivate
    synchronized void deactivate() {
        withdraw();
        context = null;
    }

    @Reference(name = "publisher", cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, target = "(herald.redis.connection=client)")
    synchronized void bindPublisher(RedisConnection connection) {
        withdraw();
        publisher = connection;
        publish();
    }

    synchronized void unbindPublisher(RedisConnection connection) {
        if (publisher == connection) {
            withdraw();
            publisher = null;
        }
    }

    @Reference(name = "subscriber", cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, target = "(herald.redis.connection=subscriber)")
    synchronized void bindSubscriber(RedisConnection connection) {
        withdraw();
        subscriber = connection;
        publish();
    }

    synchronized void unbindSubscriber(RedisConnection connection) {
        if (subscriber == connection) {
            withdraw();
            subscriber = null;
        }
    }

    private void publish() {
        if (context == null || command || publisher == null || subscriber == null || registration != null) {
            return;
        }
        Dictionary<String, Object> properties = new Hashtable<>();
        properties.put(Constants.SERVICE_RANKING, 0);
        properties.put("herald.cluster.transport", "redis");
        if (!warnedOfPlaceholderToken) {
            // once per activation: the transport comes and goes with its connections, the token does not change
            warnedOfPlaceholderToken = warnIfPlaceholderToken(identity, publisher, LOG);
        }
        registration = context.registerService(ClusterTransport.class,
                new RedisClusterTransport(publisher, subscriber, channel), properties);
    }

    /**
     * Logs one WARN when the node's {@code .serverToken} is one every Herald installation knows.
     *
     * @return whether it warned
     */
    static boolean warnIfPlaceholderToken(ServerIdentity identity, RedisConnection publisher, Logger log) {
        if (identity == null || !identity.placeholderServerToken()) {
            return false;
        }
        String where = publisher instanceof HaRedisConnection connection ? connection.settings().address()
                : "connection '" + publisher.name() + "'";
        log.warn("The cluster bus runs over Redis ({}) with the serverToken every Herald installation knows (empty or"
                + " the placeholder \"change-me\"): any node that can reach this Redis can join this cluster, read its"
                + " messages and call its handlers. Give every node of the cluster the same secret: the environment"
                + " variable HERALD_SERVER_TOKEN, or .serverToken in config/io.herald.core.cfg", where);
        return true;
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
