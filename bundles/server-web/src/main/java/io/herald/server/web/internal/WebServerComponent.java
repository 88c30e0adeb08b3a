package io.herald.server.web.internal;

import java.util.List;
import java.util.Map;

import org.eclipse.jetty.server.Handler;
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
import org.osgi.service.component.propertytypes.SatisfyingConditionTarget;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.herald.api.spi.ActionRunner;
import io.herald.api.spi.ClientInfo;
import io.herald.api.spi.Messages;
import io.herald.api.spi.NodeReady;
import io.herald.api.spi.RouteTable;
import io.herald.api.spi.ServerIdentity;

/**
 * Herald's web server (Actionhero's {@code servers/web.ts}), running while the configuration
 * {@code io.herald.server.web} exists and the node is ready. Publishes the routes it serves as a {@link RouteTable} for
 * the swagger action.
 *
 * <p>Ordered start and stop: the component's satisfying condition is the node's readiness ({@link NodeReady}), so the
 * port opens only once every action of the node is registered, and closes (draining requests in flight) when the node
 * starts to stop, before any action leaves. Actionhero gets the same order from its initializer priorities: servers
 * start last and stop first.
 *
 * <p>Live configuration: a change is applied by {@link #modified} without closing the listener unless the address
 * changes ({@link WebServer#apply}). The runner and the message catalogue are dynamic references: when the core
 * replaces them, the server keeps its port and simply calls the new ones.
 */
@Component(service = RouteTable.class, immediate = true, configurationPid = WebServerComponent.PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE)
@SatisfyingConditionTarget(NodeReady.TARGET)
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

    /** The key store password under its public (refused) name. */
    private static final String PUBLIC_PASSWORD_KEY = "tlsKeyStorePassword";

    /** The running server, or {@code null} while disabled; changed under {@code this}. */
    private volatile WebServer server;

    private final ExtensionHandlers extensions = new ExtensionHandlers();

    /**
     * @throws ConfigurationException for a value metatype cannot check (the launcher reports it in one line)
     * @throws IllegalStateException when the port cannot be opened, naming it
     * @throws IllegalArgumentException for a broken routes file
     */
    @Activate
    synchronized void activate(WebServerConfig config, Map<String, Object> properties) throws ConfigurationException {
        WebSettings settings = settings(config, properties);
        if (!settings.enabled()) {
            LOG.info("web server is disabled (enabled = false in {}.cfg): no port opened", PID);
            return;
        }
        WebServer started = newServer(settings);
        started.start();
        server = started;
    }

    /**
     * A changed configuration. A mistake is logged in one line and the running server keeps its settings; so does a
     * port that cannot be opened (see {@link WebServer#apply}).
     */
    @Modified
    synchronized void modified(WebServerConfig config, Map<String, Object> properties) {
        WebSettings settings;
        try {
            settings = settings(config, properties);
        } catch (ConfigurationException e) {
            LOG.error("{}.cfg: {}: {}; the web server keeps its current settings", PID, e.getProperty(), e.getReason());
            return;
        }
        WebServer running = server;
        try {
            if (!settings.enabled()) {
                if (running != null) {
                    server = null;
                    running.stop();
                    LOG.info("web server is disabled (enabled = false in {}.cfg)", PID);
                }
            } else if (running == null) {
                WebServer started = newServer(settings);
                started.start();
                server = started;
            } else {
                running.apply(settings);
            }
        } catch (IllegalStateException | IllegalArgumentException e) {
            LOG.error("{}.cfg: {}; the web server keeps its current settings", PID, e.getMessage());
        }
    }

    @Deactivate
    synchronized void deactivate() {
        WebServer running = server;
        server = null;
        if (running != null) {
            running.stop();
        }
    }

    private WebSettings settings(WebServerConfig config, Map<String, Object> properties) throws ConfigurationException {
        if (properties.containsKey(PUBLIC_PASSWORD_KEY)) {
            // As the TCP server: a password under its public name would be readable by every bundle.
            throw new ConfigurationException(PUBLIC_PASSWORD_KEY, "is a public property every bundle can read: write "
                    + "." + PUBLIC_PASSWORD_KEY + " (with a leading dot) to keep the password private");
        }
        return WebSettings.from(config, identity.isProduction(), System.getProperty("herald.home"));
    }

    private WebServer newServer(WebSettings settings) {
        return new WebServer(settings, () -> runner, identity, () -> messages, extensions);
    }

    /**
     * Another bundle's handler for a path on this port (the WebSocket server's upgrade handler); it outlives the
     * servers this component starts and stops.
     */
    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, target = "(" + ClientInfo.WEB_PATH_PROPERTY + "=*)")
    void addExtension(Handler handler, Map<String, Object> properties) {
        extensions.add(handler, String.valueOf(properties.get(ClientInfo.WEB_PATH_PROPERTY)));
    }

    void removeExtension(Handler handler) {
        extensions.remove(handler);
    }

    /** The running server, for tests; {@code null} while disabled. */
    WebServer server() {
        return server;
    }

    @Override
    public List<Route> routes() {
        WebServer running = server;
        return running == null ? List.of() : running.routes();
    }
}
