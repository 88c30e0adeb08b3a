package io.herald.dashboard.internal;

import java.util.Dictionary;
import java.util.Hashtable;
import java.util.Map;

import io.herald.api.spi.ClientInfo;
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
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the dashboard as its configuration says: while {@code enabled}, publishes the page's handler as a Jetty
 * {@code Handler} service with {@value ClientInfo#WEB_PATH_PROPERTY} = {@code path}, which the web server runs for that
 * path on its own port (a node without a web server serves no page). Disabling it, or a new path, withdraws the old
 * handler first.
 */
@Component(configurationPid = DashboardComponent.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL,
        immediate = true, service = {})
@Designate(ocd = DashboardConfig.class)
public final class DashboardComponent {

    static final String PID = "io.herald.dashboard";

    private static final Logger LOG = LoggerFactory.getLogger(DashboardComponent.class);

    private BundleContext context;
    private ServiceRegistration<Handler> registration;

    /** @throws ConfigurationException for a path or refresh metatype cannot check (the launcher reports it in one line) */
    @Activate
    synchronized void activate(BundleContext context, Map<String, Object> properties) throws ConfigurationException {
        this.context = context;
        try {
            apply(DashboardSettings.read(properties));
        } catch (InvalidPropertyException e) {
            throw new ConfigurationException(e.property(), e.getMessage());
        }
    }

    /** A changed configuration; a mistake is logged in one line and the page keeps its current settings. */
    @Modified
    synchronized void modified(Map<String, Object> properties) {
        DashboardSettings settings;
        try {
            settings = DashboardSettings.read(properties);
        } catch (InvalidPropertyException e) {
            LOG.error("{}.cfg: {}; the dashboard keeps its current settings", PID, e.getMessage());
            return;
        }
        apply(settings);
    }

    @Deactivate
    synchronized void deactivate() {
        withdraw();
    }

    private void apply(DashboardSettings settings) {
        withdraw();
        if (!settings.enabled()) {
            LOG.info("queue dashboard is off (enabled = false in {}.cfg; ENABLE_DASHBOARD=true serves it)", PID);
            return;
        }
        Dictionary<String, Object> properties = new Hashtable<>();
        properties.put(ClientInfo.WEB_PATH_PROPERTY, settings.path());
        registration = context.registerService(Handler.class, new DashboardHandler(settings), properties);
        LOG.info("queue dashboard at {}/ of the web server's port (its data needs the admin role)", settings.path());
    }

    private void withdraw() {
        if (registration != null) {
            try {
                registration.unregister();
            } catch (IllegalStateException alreadyGone) {
                // the bundle is stopping: the framework unregistered it already
            }
            registration = null;
        }
    }
}
