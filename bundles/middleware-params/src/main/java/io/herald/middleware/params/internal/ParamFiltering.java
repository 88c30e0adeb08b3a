package io.herald.middleware.params.internal;

import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

import io.herald.api.ActionMiddleware;
import io.herald.api.spi.Messages;
import io.herald.api.spi.Redactor;
import io.herald.core.properties.InvalidPropertyException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The switch: while the configuration says {@code enabled}, the {@link Redactor} and the limits middleware are
 * registered; otherwise neither is, and the core logs param names without values. An edit takes effect when it
 * arrives (ConfigAdmin hands it over within about a second of the file changing): enabling registers, disabling
 * withdraws, other changes apply to the registered services in place, without re-registering them.
 *
 * <p>A configuration that cannot be read fails to the safe side: one line is logged and both services are withdrawn
 * until a readable configuration arrives, so no value is logged by rules nobody meant.
 */
final class ParamFiltering {

    static final String PID = "io.herald.middleware.params";
    private static final Logger LOG = LoggerFactory.getLogger(ParamFiltering.class);

    private final Publisher publisher;
    private final Supplier<Messages> messages;
    private ParamRedactor redactor;
    private ParamLimitsMiddleware limits;
    private Publisher.Published redactorRegistration;
    private Publisher.Published limitsRegistration;

    ParamFiltering(Publisher publisher, Supplier<Messages> messages) {
        this.publisher = Objects.requireNonNull(publisher, "publisher");
        this.messages = Objects.requireNonNull(messages, "messages");
    }

    /**
     * Applies a configuration read by {@link ParamsSettings#from}.
     *
     * @throws InvalidPropertyException when it cannot be read; the services are withdrawn first
     */
    synchronized void apply(Map<String, ?> config) {
        ParamsSettings settings;
        try {
            settings = ParamsSettings.from(config);
        } catch (InvalidPropertyException e) {
            withdraw();
            throw e;
        }
        apply(settings);
    }

    /** {@link #apply(Map)} for a live edit: a configuration that cannot be read is logged, and the services go. */
    synchronized void applyEdit(Map<String, ?> config) {
        try {
            apply(config);
        } catch (InvalidPropertyException e) {
            LOG.error("{}.cfg not applied: {}; param filtering and limits are off until it is fixed (the action log names"
                    + " params without their values)", PID, e.getMessage());
        }
    }

    private void apply(ParamsSettings settings) {
        if (!settings.enabled()) {
            if (withdraw()) {
                LOG.info("param filtering is off (enabled = false in {}.cfg): the action log names params without their"
                        + " values, and no param limits apply", PID);
            }
            return;
        }
        if (redactor == null) {
            redactor = new ParamRedactor(settings.redaction());
            limits = new ParamLimitsMiddleware(settings.limits(), messages);
        } else {
            redactor.configure(settings.redaction());
            limits.configure(settings.limits());
        }
        if (redactorRegistration == null) {
            // the limits first: a call the redactor logs has passed them
            limitsRegistration = publisher.publish(ActionMiddleware.class, limits, ParamLimitsMiddleware.PROPERTIES);
            redactorRegistration = publisher.publish(Redactor.class, redactor, Map.of());
            LOG.info("param filtering is on: filtered {}; at most {} params, {} bytes and {} levels per param",
                    settings.redaction().params(), settings.limits().maxParams(), settings.limits().maxParamLength(),
                    settings.limits().maxParamDepth());
        }
    }

    /** Withdraws both services. @return whether they were registered */
    synchronized boolean withdraw() {
        boolean was = redactorRegistration != null || limitsRegistration != null;
        // the redactor first: while it goes, no line is logged with values the limits no longer bound
        if (redactorRegistration != null) {
            redactorRegistration.withdraw();
            redactorRegistration = null;
        }
        if (limitsRegistration != null) {
            limitsRegistration.withdraw();
            limitsRegistration = null;
        }
        return was;
    }

    /** Whether the services are registered now. */
    synchronized boolean isOn() {
        return redactorRegistration != null;
    }

    /** The redactor (registered or not), for tests; {@code null} before it was first enabled. */
    synchronized ParamRedactor redactor() {
        return redactor;
    }

    /** The limits middleware, for tests; {@code null} before it was first enabled. */
    synchronized ParamLimitsMiddleware limits() {
        return limits;
    }
}
