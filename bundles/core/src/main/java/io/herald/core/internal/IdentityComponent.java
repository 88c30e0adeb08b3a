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

/**
 * Publishes the node's {@link ServerIdentity} and keeps its pidfile for as long as the node runs.
 */
@Component(service = ServerIdentity.class, configurationPid = "io.herald.core",
        configurationPolicy = ConfigurationPolicy.OPTIONAL, immediate = true)
public final class IdentityComponent implements ServerIdentity {

    private NodeIdentity identity;
    private boolean placeholderToken;
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
