package io.herald.server.websocket.internal;

import java.util.Dictionary;
import java.util.Hashtable;
import java.util.Map;

import io.herald.api.chat.ChatRooms;
import io.herald.api.spi.ActionRunner;
import io.herald.api.spi.ClientInfo;
import io.herald.api.spi.ConnectionRegistry;
import io.herald.api.spi.Messages;

import org.eclipse.jetty.server.Handler;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
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
 * Runs the WebSocket server as its configuration says: while {@code enabled}, publishes the upgrade handler as a Jetty
 * {@code Handler} service for the web server to run under {@code path} on its own port, and a second one serving the
 * browser client at {@value ClientScriptHandler#PATH}; disabling it withdraws both and closes the connections. Without
 * a web server there is no port, and no WebSocket either.
 */
@Component(configurationPid = WebSocketComponent.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL,
        immediate = true, service = {})
@Designate(ocd = WebSocketConfig.class)
public final class WebSocketComponent {

    static final String PID = "io.herald.server.websocket";

    private static final Logger LOG = LoggerFactory.getLogger(WebSocketComponent.class);

    @Reference(policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    private volatile ActionRunner runner;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile ConnectionRegistry registry;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile ChatRooms chat;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile Messages messages;

    private BundleContext context;
    private WebSocketServer server;
    private ServiceRegistration<Handler> registration;
    private ServiceRegistration<Handler> clientScript;

    @Activate
    synchronized void activate(BundleContext context, Map<String, Object> properties) {
        this.context = context;
        apply(properties);
    }

    @Modified
    synchronized void modified(Map<String, Object> properties) {
        apply(properties);
    }

    @Deactivate
    synchronized void deactivate() {
        stop("the server is stopping");
    }

    private void apply(Map<String, Object> properties) {
        WebSocketSettings settings;
        try {
            settings = WebSocketSettings.read(properties);
        } catch (IllegalArgumentException e) {
            LOG.error("{}.cfg: {}; the WebSocket server keeps its current settings", PID, e.getMessage());
            return;
        }
        stop("the WebSocket server is reconfigured: reconnect");
        if (!settings.enabled()) {
            LOG.info("WebSocket server is disabled (enabled = false in {}.cfg)", PID);
            return;
        }
        server = new WebSocketServer(settings, new Events(() -> runner, () -> chat, () -> messages), () -> registry);
        Dictionary<String, Object> serviceProperties = new Hashtable<>();
        serviceProperties.put(ClientInfo.WEB_PATH_PROPERTY, settings.path());
        registration = context.registerService(Handler.class, server.handler(), serviceProperties);
        Dictionary<String, Object> scriptProperties = new Hashtable<>();
        scriptProperties.put(ClientInfo.WEB_PATH_PROPERTY, ClientScriptHandler.PATH);
        clientScript = context.registerService(Handler.class, new ClientScriptHandler(), scriptProperties);
        LOG.info("WebSocket server accepts upgrades on {} of the web server's port (browser client: {})", settings.path(),
                ClientScriptHandler.PATH);
    }

    private void stop(String reason) {
        unregister(clientScript);
        clientScript = null;
        unregister(registration);
        registration = null;
        if (server != null) {
            server.closeAll(reason);
            server = null;
        }
    }

    private static void unregister(ServiceRegistration<Handler> registration) {
        if (registration != null) {
            try {
                registration.unregister();
            } catch (IllegalStateException alreadyGone) {
                // the bundle is stopping: the framework unregistered it already
            }
        }
    }
}
