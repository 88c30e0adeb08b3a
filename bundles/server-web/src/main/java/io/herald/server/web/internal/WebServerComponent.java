package io.herald.server.web.internal;

import java.util.List;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.herald.api.spi.ActionRunner;
import io.herald.api.spi.Messages;
import io.herald.api.spi.RouteTable;
import io.herald.api.spi.ServerIdentity;

/**
 * Herald's web server (Actionhero's {@code servers/web.ts}), running while the configuration
 * {@code io.herald.server.web} exists. Publishes the routes it serves as a {@link RouteTable} for the swagger action.
 *
 * <p>The runner and the message catalogue are dynamic references: when the core replaces them, the server keeps its
 * port and simply calls the new ones. A failure to open the port fails activation with a message naming the port.
 */
@Component(service = RouteTable.class, immediate = true, configurationPid = WebServerComponent.PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE)
@Designate(ocd = WebServerConfig.class)
public class WebServerComponent implements RouteTable {

    /** The configuration PID. */
    public static final String PID = "io.herald.server.web";

    private static final Logger LOG = LoggerFactory.getLogger(WebServerComponent.class);

    @Reference(policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    private volatile ActionRunner runner;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile Messages messages;

    @Reference
    private ServerIdentity identity;

    private volatile WebServer server;

    @Activate
    void activate(WebServerConfig config) {
        WebSettings settings = WebSettings.from(config, identity.isProduction(), System.getProperty("herald.home"));
        if (!settings.enabled()) {
            LOG.info("web server is disabled (enabled = false in {}.cfg): no port opened", PID);
            return;
        }
        WebServer started = new WebServer(settings, () -> runner, identity, () -> messages);
        started.start();
        server = started;
    }

    @Deactivate
    void deactivate() {
        WebServer running = server;
        server = null;
        if (running != null) {
            running.stop();
        }
    }

    @Override
    public List<Route> routes() {
        WebServer running = server;
        return running == null ? List.of() : running.routes();
    }
}
