package io.herald.middleware.auth.internal;

import java.util.Dictionary;
import java.util.Hashtable;
import java.util.Map;

import io.herald.api.cache.Cache;
import io.herald.api.spi.Authenticator;
import io.herald.middleware.auth.Sessions;

import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
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
 * Runs authentication as its configuration says: publishes the {@link Authenticator} the core consults while
 * {@code enabled} is true and the configuration is valid, and withdraws it otherwise. The core refuses every
 * protected action while no authenticator is published, so switching off, a typo in a key and a stopped bundle all
 * fail closed.
 *
 * <p>The service is registered by hand rather than by DS: DS would publish the configuration, API keys included, as
 * service properties, and a change of {@code enabled} must take effect without the component being recreated. A new
 * authenticator is registered before the old one leaves, so a key change never refuses a request in between.
 */
@Component(configurationPid = AuthenticationComponent.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL,
        immediate = true, service = {})
@Designate(ocd = AuthConfig.class)
public final class AuthenticationComponent {

    static final String PID = "io.herald.middleware.auth";

    private static final Logger LOG = LoggerFactory.getLogger(AuthenticationComponent.class);

    // Dynamic: when Redis comes up, its cache outranks the node's own and new sessions go there.
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile Cache cache;

    private final SessionStore sessions = new SessionStore(() -> cache, AuthSettings.DEFAULT_SESSION_TTL);
    private BundleContext context;
    private ServiceRegistration<Authenticator> registration;
    private ServiceRegistration<Sessions> sessionsRegistration;
    private FailedAttempts failures;
    private AuthSettings current;

    @Activate
    synchronized void activate(BundleContext context, Map<String, Object> properties) {
        this.context = context;
        // Always published: a login action keeps resolving while authentication is switched off (its sessions are
        // then simply not honoured until it runs again).
        sessionsRegistration = context.registerService(Sessions.class, sessions, null);
        apply(properties);
    }

    @Modified
    synchronized void modified(Map<String, Object> properties) {
        apply(properties);
    }

    @Deactivate
    synchronized void deactivate() {
        withdraw();
        unregister(sessionsRegistration);
        sessionsRegistration = null;
    }

    private void apply(Map<String, Object> properties) {
        AuthSettings settings;
        try {
            settings = AuthSettings.read(properties);
        } catch (IllegalArgumentException e) {
            withdraw();
            current = null;
            LOG.error("{}.cfg: {}: authentication is stopped until this is fixed; actions that declare authenticated "
                    + "or roles are refused meanwhile", PID, e.getMessage());
            return;
        }
        if (!settings.enabled()) {
            withdraw();
            current = settings;
            LOG.info("authentication is disabled (enabled = false in {}.cfg): actions that declare authenticated or "
                    + "roles are refused", PID);
            return;
        }
        sessions.ttl(settings.sessionTtl());
        if (failures == null || current == null || current.maxFailedAttempts() != settings.maxFailedAttempts()
                || !current.failedAttemptsWindow().equals(settings.failedAttemptsWindow())) {
            failures = new FailedAttempts(settings.maxFailedAttempts(), settings.failedAttemptsWindow().toMillis(),
                    System::currentTimeMillis);
        }
        ServiceRegistration<Authenticator> previous = registration;
        Dictionary<String, Object> serviceProperties = new Hashtable<>();
        serviceProperties.put(Constants.SERVICE_DESCRIPTION, "Herald API key authentication");
        registration = context.registerService(Authenticator.class,
                new CredentialAuthenticator(settings.apiKeys(), settings.jwt(), sessions, failures), serviceProperties);
        if (previous != null) {
            previous.unregister();
        }
        current = settings;
        if (settings.apiKeys().size() == 0 && settings.jwt() == null) {
            LOG.warn("authentication runs with no API key nor JWT key ({}.cfg apiKeys, or HERALD_API_KEYS): actions that declare "
                    + "authenticated or roles answer 401 to everyone", PID);
        } else {
            LOG.info("authentication runs with {} API keys, JWT {}", settings.apiKeys().size(),
                    settings.jwt() == null ? "off" : "on");
        }
    }

    private void withdraw() {
        unregister(registration);
        registration = null;
    }

    private static void unregister(ServiceRegistration<?> registration) {
        if (registration != null) {
            try {
                registration.unregister();
            } catch (IllegalStateException alreadyGone) {
                // the bundle is stopping: the framework unregistered it already
            }
        }
    }
}
