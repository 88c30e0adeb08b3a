package io.herald.core.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;

import io.herald.api.spi.ServerIdentity;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;

/** Publishes the node's {@link ServerIdentity} and keeps its pidfile for as long as the node runs. */
@Component(service = ServerIdentity.class, configurationPid = "io.herald.core",
        configurationPolicy = ConfigurationPolicy.OPTIONAL, immediate = true)
public final class IdentityComponent implements ServerIdentity {

    /** What config/io.herald.core.cfg ships as {@code serverToken} when HERALD_SERVER_TOKEN is not set. */
    static final String PLACEHOLDER_SERVER_TOKEN = "change-me";

    private NodeIdentity identity;
    private boolean placeholderToken;
    private PidFile pidFile;

    @Activate
    void activate(CoreConfig config) throws IOException {
        identity = NodeIdentity.resolve(config.id(), NodeIdentity::setting, Instant.now());
        placeholderToken = isPlaceholder(config.serverToken());
        if (identity.isProduction() && placeholderToken) {
            // Nodes authenticate each other's cluster messages with it: a guessable token in production is a hole.
            throw new IllegalStateException("serverToken is empty or the placeholder \"change-me\": production nodes "
                    + "need a secret one (set HERALD_SERVER_TOKEN)");
        }
        String home = NodeIdentity.setting("herald.home");
        if (home == null) {
            home = NodeIdentity.setting("PROJECT_ROOT");
        }
        Path root = Path.of(home == null ? System.getProperty("user.dir") : home);
        pidFile = PidFile.write(PidFile.pathFor(root, identity.id()), ProcessHandle.current().pid());
    }

    /** Empty, or the shipped placeholder: a token every Herald installation knows. */
    static boolean isPlaceholder(String serverToken) {
        return serverToken == null || serverToken.isBlank() || serverToken.trim().equals(PLACEHOLDER_SERVER_TOKEN);
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
