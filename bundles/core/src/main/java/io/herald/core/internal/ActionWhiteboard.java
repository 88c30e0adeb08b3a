package io.herald.core.internal;

import java.util.List;
import java.util.Map;

import io.herald.api.Action;
import io.herald.core.properties.ServiceProperties;
import io.herald.api.ActionDescriptor;
import io.herald.api.ActionMiddleware;
import io.herald.api.spi.ActionRequest;
import io.herald.api.spi.ActionResult;
import io.herald.api.spi.ActionRunner;
import io.herald.api.spi.Authenticator;
import io.herald.api.spi.Messages;
import io.herald.api.spi.ActionObserver;
import io.herald.api.spi.Redactor;
import io.herald.api.spi.ServerIdentity;

import org.osgi.annotation.bundle.Capability;
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

/**
 * Gathers every {@link Action} and {@link ActionMiddleware} service (the whiteboard) and publishes the
 * {@link ActionRunner} that the transports call. Bundles come and go while the node runs; so do their actions.
 *
 * <p>Declarative Services references replace Actionhero's initializer priorities: the runner exists once the message
 * catalogue and the identity do, and transports wait for the runner.
 */
@Component(service = ActionRunner.class, configurationPid = "io.herald.core",
        configurationPolicy = ConfigurationPolicy.OPTIONAL, immediate = true)
@Designate(ocd = CoreConfig.class)
@Capability(namespace = "osgi.implementation", name = "io.herald.core", version = "1.0.0")
public final class ActionWhiteboard implements ActionRunner {

    private final Pipeline pipeline = new Pipeline(Messages.defaults(), ProcessorSettings.defaults());

    @Reference
    private Messages messages;

    @Reference
    private ServerIdentity identity;

    @Activate
    void activate(CoreConfig config, Map<String, Object> properties) throws ConfigurationException {
        configure(CoreSettings.read(config, properties));
    }

    @Modified
    void modified(CoreConfig config, Map<String, Object> properties) throws ConfigurationException {
        configure(CoreSettings.read(config, properties));
    }

    private void configure(CoreSettings settings) {
        pipeline.configure(new ProcessorSettings(settings.simultaneousActions(), settings.disableParamScrubbing(),
                settings.exposeErrors(identity.isProduction()), settings.replacementGraceMillis()),
                messages);
    }

    @Deactivate
    void deactivate() {
        pipeline.shutDown();
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addAction(Action action, Map<String, Object> properties) {
        pipeline.addAction(action, properties, ServiceProperties.serviceId(properties));
    }

    void removeAction(Action action) {
        pipeline.removeAction(action);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addMiddleware(ActionMiddleware middleware, Map<String, Object> properties) {
        pipeline.addMiddleware(middleware, properties, ServiceProperties.serviceId(properties));
    }

    void removeMiddleware(ActionMiddleware middleware) {
        pipeline.removeMiddleware(middleware);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addAuthenticator(Authenticator authenticator, Map<String, Object> properties) {
        pipeline.addAuthenticator(authenticator, ServiceProperties.ranking(properties),
                ServiceProperties.serviceId(properties));
    }

    void removeAuthenticator(Authenticator authenticator) {
        pipeline.removeAuthenticator(authenticator);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addRedactor(Redactor redactor, Map<String, Object> properties) {
        pipeline.addRedactor(redactor, ServiceProperties.ranking(properties),
                ServiceProperties.serviceId(properties));
    }

    void removeRedactor(Redactor redactor) {
        pipeline.removeRedactor(redactor);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addObserver(ActionObserver observer) {
        pipeline.addObserver(observer);
    }

    void removeObserver(ActionObserver observer) {
        pipeline.removeObserver(observer);
    }

    @Override
    public ActionResult run(ActionRequest request) {
        return pipeline.runner().run(request);
    }

    @Override
    public List<ActionDescriptor> actions() {
        return pipeline.runner().actions();
    }


}
