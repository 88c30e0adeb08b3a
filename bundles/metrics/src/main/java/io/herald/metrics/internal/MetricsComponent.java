package io.herald.metrics.internal;

import java.util.Collection;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import io.herald.api.spi.ActionObserver;
import io.herald.api.spi.Authenticator;
import io.herald.api.spi.ClientInfo;
import io.herald.api.spi.HealthIndicator;
import io.herald.api.spi.Messages;
import io.herald.api.task.TaskMiddleware;
import io.herald.api.task.TaskMiddlewareDefinition;
import io.herald.api.task.TaskQueue;
import io.herald.core.properties.InvalidPropertyException;

import org.eclipse.jetty.server.Handler;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
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
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the node's metrics while {@code enabled}: registers the {@link ActionObserver} that counts calls, a global
 * {@link TaskMiddleware} that counts jobs, and the endpoint, a Jetty {@code Handler} service the web server runs under
 * {@code path} on its port; with {@code port} set also on a port of its own (a worker has no web server). A new
 * configuration starts over with new meters (Prometheus takes a counter's reset in its stride); disabling withdraws
 * everything. A wrong value fails the activation naming the property, so a node does not start with a typo.
 */
@Component(configurationPid = MetricsComponent.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL,
        immediate = true, service = {})
@Designate(ocd = MetricsConfig.class)
public final class MetricsComponent {

    static final String PID = "io.herald.metrics";

    private static final Logger LOG = LoggerFactory.getLogger(MetricsComponent.class);

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile Authenticator authenticator;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile Messages messages;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile TaskQueue tasks;

    private final List<HealthIndicator> indicators = new CopyOnWriteArrayList<>();

    private BundleContext context;
    private NodeMetrics metrics;
    private MetricsListener listener;
    private final List<ServiceRegistration<?>> registrations = new java.util.ArrayList<>();

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addIndicator(HealthIndicator indicator) {
        indicators.add(indicator);
    }

    void removeIndicator(HealthIndicator indicator) {
        indicators.remove(indicator);
    }

    @Activate
    synchronized void activate(BundleContext context, Map<String, Object> properties) throws ConfigurationException {
        this.context = context;
        apply(properties);
    }

    @Modified
    synchronized void modified(Map<String, Object> properties) throws ConfigurationException {
        apply(properties);
    }

    @Deactivate
    synchronized void deactivate() {
        stop();
    }

    private void apply(Map<String, Object> properties) throws ConfigurationException {
        MetricsSettings settings;
        try {
            settings = MetricsSettings.read(properties);
        } catch (InvalidPropertyException e) {
            throw new ConfigurationException(e.property(), e.getMessage());
        }
        stop();
        if (!settings.enabled()) {
            LOG.info("Metrics are disabled (enabled = false in {}.cfg)", PID);
            return;
        }
        metrics = new NodeMetrics();
        TaskGauges taskGauges = new TaskGauges(metrics.registry(), () -> tasks);
        HealthGauges healthGauges = new HealthGauges(metrics.registry(), () -> (Collection<HealthIndicator>) indicators);
        metrics.beforeScrape(taskGauges::refresh);
        metrics.beforeScrape(healthGauges::refresh);
        ScrapeAccess access = new ScrapeAccess(settings.role(), settings.requireAuthentication());

        registrations.add(context.registerService(ActionObserver.class, new ActionMetrics(metrics.registry()), null));
        Dictionary<String, Object> middleware = new Hashtable<>();
        middleware.put(TaskMiddlewareDefinition.PREFIX_ + "name", "herald.metrics");
        middleware.put(TaskMiddlewareDefinition.PREFIX_ + "global", Boolean.TRUE);
        middleware.put(TaskMiddlewareDefinition.PREFIX_ + "priority", TaskMetrics.PRIORITY);
        registrations.add(context.registerService(TaskMiddleware.class, new TaskMetrics(metrics.registry()), middleware));
        Dictionary<String, Object> web = new Hashtable<>();
        web.put(ClientInfo.WEB_PATH_PROPERTY, settings.path());
        registrations.add(context.registerService(Handler.class, handler(settings, "web", access), web));

        if (settings.port().isPresent()) {
            MetricsListener own = new MetricsListener(settings.bindHost(), settings.port().getAsInt(),
                    handler(settings, "metrics", access));
            try {
                own.start();
            } catch (Exception e) {
                own.stop();
                stop();
                throw new ConfigurationException("port", "the metrics port " + settings.port().getAsInt()
                        + " cannot be opened: " + e.getMessage(), e);
            }
            listener = own;
            LOG.info("Metrics are served at {} of the web server's port and of port {}", settings.path(), own.port());
        } else {
            LOG.info("Metrics are served at {} of the web server's port", settings.path());
        }
    }

    private MetricsHandler handler(MetricsSettings settings, String serverName, ScrapeAccess access) {
        return new MetricsHandler(settings.path(), serverName, metrics, access, () -> authenticator, () -> messages);
    }

    private void stop() {
        for (ServiceRegistration<?> registration : registrations) {
            try {
                registration.unregister();
            } catch (IllegalStateException alreadyGone) {
                // the bundle is stopping: the framework unregistered it already
            }
        }
        registrations.clear();
        if (listener != null) {
            listener.stop();
            listener = null;
        }
        if (metrics != null) {
            metrics.close();
            metrics = null;
        }
    }
}
