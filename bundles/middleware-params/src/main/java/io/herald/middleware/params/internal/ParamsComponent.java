package io.herald.middleware.params.internal;

import java.util.Dictionary;
import java.util.Hashtable;
import java.util.Map;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.ConfigurationException;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;

import io.herald.api.spi.Messages;
import io.herald.core.properties.InvalidPropertyException;

/**
 * Param filtering under OSGi: an immediate component of PID {@code io.herald.middleware.params} that registers the
 * {@link io.herald.api.spi.Redactor} and the limits middleware itself, through its bundle's context, as
 * {@link ParamFiltering} decides. Declarative Services cannot switch a component's services on and off by a property
 * without re-creating it; this way an edit of {@code enabled} registers or withdraws them in place.
 *
 * <p>The configuration is optional: without one, the defaults apply (filtering and limits on). At start, a value that
 * cannot be read fails the activation with a {@link ConfigurationException} naming it (the launcher reports it in one
 * line); in a live edit it is logged and the services are withdrawn ({@link ParamFiltering#applyEdit}).
 */
@Component(service = {}, immediate = true, configurationPid = ParamFiltering.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = ParamsConfig.class)
public final class ParamsComponent {

    /** The core's catalogue; dynamic, so a replaced catalogue is used without re-creating this component. */
    @Reference(policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    private volatile Messages messages;

    private ParamFiltering filtering;

    @Activate
    synchronized void activate(BundleContext context, Map<String, Object> config) throws ConfigurationException {
        filtering = new ParamFiltering(publisher(context), () -> messages);
        try {
            filtering.apply(config);
        } catch (InvalidPropertyException e) {
            throw new ConfigurationException(e.property(), e.getMessage(), e);
        }
    }

    @Modified
    synchronized void modified(Map<String, Object> config) {
        filtering.applyEdit(config);
    }

    @Deactivate
    synchronized void deactivate() {
        filtering.withdraw();
    }

    private static Publisher publisher(BundleContext context) {
        return new Publisher() {
            @Override
            public <S> Published publish(Class<S> type, S service, Map<String, Object> properties) {
                ServiceRegistration<S> registration = context.registerService(type, service, dictionary(properties));
                return () -> {
                    try {
                        registration.unregister();
                    } catch (IllegalStateException alreadyGone) {
                        // the bundle is stopping: the framework unregistered it
                    }
                };
            }
        };
    }

    private static Dictionary<String, Object> dictionary(Map<String, Object> properties) {
        return new Hashtable<>(properties);
    }
}
