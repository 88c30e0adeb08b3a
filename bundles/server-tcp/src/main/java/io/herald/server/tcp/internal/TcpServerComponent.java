package io.herald.server.tcp.internal;

import java.util.Map;

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

import io.herald.api.chat.ChatRooms;
import io.herald.api.spi.ActionRunner;
import io.herald.api.spi.ConnectionRegistry;
import io.herald.api.spi.Messages;
import io.herald.api.spi.NodeReady;

/**
 * Herald's TCP server (Actionhero's socket server), running while the configuration {@code io.herald.server.tcp}
 * exists with {@code enabled = true} and the node is ready.
 *
 * <p>Ordered start and stop, as the web server: the satisfying condition is the node's readiness ({@link NodeReady}),
 * so the port opens once every action is registered and closes (finishing actions in flight) before any leaves.
 *
 * <p>References: the runner is mandatory and dynamic (replaced without closing the port); the message catalogue, chat
 * rooms and the connection registry are optional and dynamic: without chat the room verbs answer
 * {@code CHAT_UNAVAILABLE}, without a registry connections are simply not announced.
 */
@Component(service = {}, immediate = true, configurationPid = TcpServerComponent.PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE)
@SatisfyingConditionTarget(NodeReady.TARGET)
@Designate(ocd = TcpServerConfig.class)
public class TcpServerComponent {

    /** The configuration PID. */
    public static final String PID = "io.herald.server.tcp";

    private static final Logger LOG = LoggerFactory.getLogger(TcpServerComponent.class);

    @Reference(policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    private volatile ActionRunner runner;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile Messages messages;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile ChatRooms chat;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile ConnectionRegistry registry;

    /** The running server, or {@code null} while disabled; changed under {@code this}. */
    private volatile TcpServer server;
    private TcpSettings settings;

    /**
     * @throws ConfigurationException for a value metatype cannot check (the launcher reports it in one line)
     * @throws IllegalStateException when the port cannot be opened, naming it
     */
    @Activate
    synchronized void activate(TcpServerConfig config, Map<String, Object> properties) throws ConfigurationException {
        settings = TcpSettings.from(config, properties);
        if (!settings.enabled()) {
            LOG.info("tcp server is disabled (enabled = false in {}.cfg, ENABLE_TCP_SERVER): no port opened", PID);
            return;
        }
        server = start(settings);
    }

    /**
     * A changed configuration. Limits apply to connections opened from then on; a new address or key store re-opens
     * the server (its connections are told and closed, as in a stop). A mistake is logged in one line and the running
     * server keeps its settings.
     */
    @Modified
    synchronized void modified(TcpServerConfig config, Map<String, Object> properties) {
        TcpSettings next;
        try {
            next = TcpSettings.from(config, properties);
        } catch (ConfigurationException e) {
            LOG.error("{}.cfg: {}: {}; the tcp server keeps its current settings", PID, e.getProperty(), e.getReason());
            return;
        }
        TcpServer running = server;
        try {
            if (!next.enabled()) {
                if (running != null) {
                    server = null;
                    running.stop();
                    LOG.info("tcp server is disabled (enabled = false in {}.cfg)", PID);
                }
            } else if (running == null) {
                server = start(next);
            } else if (settings.sameListener(next)) {
                running.apply(next);
                LOG.info("tcp server applied a configuration change; new connections get it");
            } else {
                server = null;
                running.stop();
                server = start(next);
            }
            settings = next;
        } catch (IllegalStateException e) {
            LOG.error("{}.cfg: {}", PID, e.getMessage());
        }
    }

    @Deactivate
    synchronized void deactivate() {
        TcpServer running = server;
        server = null;
        if (running != null) {
            running.stop();
        }
    }

    private TcpServer start(TcpSettings settings) {
        TcpServer started = new TcpServer(settings, new TcpServices(() -> runner, () -> chat, () -> registry, () -> messages));
        started.start();
        return started;
    }

    /** The running server, for tests; {@code null} while disabled. */
    TcpServer server() {
        return server;
    }
}
