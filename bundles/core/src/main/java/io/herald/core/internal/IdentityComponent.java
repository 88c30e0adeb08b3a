package io.herald.core.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;

import io.herald.api.spi.ServerIdentity;

import org.osgi.service.cm.ConfigurationException;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes the node's {@link ServerIdentity} and keeps its pidfile for as long as the node runs.
 *
 * <p>An edit of {@code io.herald.core} is taken without re-registering the service ({@link #modified}): every
 * component that references the identity statically (the action runner, the web server's listener, the cluster bus)
 * would otherwise restart with it. The id stays what it was at start (pidfile, cluster membership, locks are held under
 * it); a changed {@code id} applies at the next start.
 */
@Component(service = ServerIdentity.class, configurationPid = "io.herald.core",
        configurationPolicy = ConfigurationPolicy.OPTIONAL, immediate = true)
public final class IdentityComponent implements ServerIdentity {

    private static final Logger LOG = LoggerFactory.getLogger(IdentityComponent.class);

    private NodeIdentity identity;
    private volatile boolean placeholderToken;
    private String deferredId;
    private PidFile pidFile;

    @Activate
    void activate(CoreConfig config, Map<String, Object> properties) throws IOException, ConfigurationException {
        CoreSettings settings = CoreSettings.read(config, properties);
        NodeIdentity resolved = NodeIdentity.resolve(settings.id(), NodeIdentity::setting, Instant.now());
        settings.requireSecretToken(resolved.isProduction());
        identity = resolved;
        placeholderToken = settings.placeholderToken();
        String home = NodeIdentity.setting("herald.home");
        if (home == null) {
            home = NodeIdentity.setting("PROJECT_ROOT");
        }
        Path root = Path.of(home == null ? System.getProperty("user.dir") : home);
        pidFile = PidFile.write(PidFile.pathFor(root, identity.id()), ProcessHandle.current().pid());
    }

    /**
     * Takes a new token at once (the placeholder flag follows it); a production node refuses a placeholder and keeps
     * the token it had. A new id is logged once and waits for the next start.
     */
    @Modified
    void modified(CoreConfig config, Map<String, Object> properties) throws ConfigurationException {
        CoreSettings settings = CoreSettings.read(config, properties);
        settings.requireSecretToken(identity.isProduction());
        placeholderToken = settings.placeholderToken();
        String wanted = NodeIdentity.resolve(settings.id(), NodeIdentity::setting, identity.startedAt()).id();
        if (!wanted.equals(identity.id()) && !wanted.equals(deferredId)) {
            LOG.warn("the server id stays {} while this node runs: the new id {} applies at the next start", identity.id(),
                    wanted);
        }
        deferredId = wanted.equals(identity.id()) ? null : wanted;
    }

    @Deactivate
    void deactivate() {
        pidFile.remove();
    }

    @Override
    public String id() {
        return identity.id();
    }

    @Override
    public String version() {
        return identity.version();
    }

    @Override
    public String environment() {
        return identity.environment();
    }

    @Override
    public Instant startedAt() {
        return identity.startedAt();
    }

    @Override
    public boolean placeholderServerToken() {
        return placeholderToken;
    }
}
