package io.herald.core.internal;

import java.util.Map;

import io.herald.core.json.HeraldJson;
import io.herald.core.properties.RankedServices;

import io.herald.api.Action;
import io.herald.api.ActionMiddleware;
import io.herald.api.spi.ActionObserver;
import io.herald.api.spi.ActionRunner;
import io.herald.api.spi.Authenticator;
import io.herald.api.spi.Messages;
import io.herald.api.spi.Redactor;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The registries and the processor, wired together. Used by the whiteboard component under OSGi and by
 * {@link io.herald.core.ActionPipeline} without it, so both run the very same pipeline.
 */
public final class Pipeline {

    private static final Logger LOG = LoggerFactory.getLogger(Pipeline.class);

    private final ActionRegistry actions = new ActionRegistry();
    private final MiddlewareRegistry middleware = new MiddlewareRegistry();
    private final RankedServices<Authenticator> authenticators = new RankedServices<>();
    private final RankedServices<Redactor> redactors = new RankedServices<>();
    private final ActionProcessor processor;

    public Pipeline(Messages messages, ProcessorSettings settings) {
        this.processor = new ActionProcessor(actions, middleware, authenticators, redactors, HeraldJson.mapper(), messages,
                settings);
    }

    /**
     * Registers an action; a bad one is logged and skipped, never fatal to the others (Felix SCR's rule for extenders).
     *
     * @return whether it was registered
     */
    public boolean addAction(Action action, Map<String, Object> properties, long order) {
        try {
            actions.add(RegisteredAction.of(action, properties, order));
            return true;
        } catch (RuntimeException e) {
            LOG.error("action {} not registered: {}", action.getClass().getName(), e.getMessage(), e);
            return false;
        }
    }

    public void removeAction(Action action) {
        actions.remove(action);
    }

    /** Registers middleware; a bad one is logged and skipped. @return whether it was registered */
    public boolean addMiddleware(ActionMiddleware m, Map<String, Object> properties, long order) {
        try {
            middleware.add(RegisteredMiddleware.of(m, properties, order));
            return true;
        } catch (RuntimeException e) {
            LOG.error("middleware {} not registered: {}", m.getClass().getName(), e.getMessage(), e);
            return false;
        }
    }

    public void removeMiddleware(ActionMiddleware m) {
        middleware.remove(m);
    }

    /** Adds an authenticator; the highest {@code ranking} answers, then the earliest {@code order}. */
    public void addAuthenticator(Authenticator authenticator, int ranking, long order) {
        authenticators.add(authenticator, ranking, order);
    }

    public void removeAuthenticator(Authenticator authenticator) {
        authenticators.remove(authenticator);
    }

    /** Adds an observer told of every call's result. */
    public void addObserver(ActionObserver observer) {
        processor.observers().add(observer);
    }

    public void removeObserver(ActionObserver observer) {
        processor.observers().remove(observer);
    }

    /** Adds a redactor; the highest {@code ranking} answers, then the earliest {@code order}. */
    public void addRedactor(Redactor redactor, int ranking, long order) {
        redactors.add(redactor, ranking, order);
    }

    public void removeRedactor(Redactor redactor) {
        redactors.remove(redactor);
    }

    public void configure(ProcessorSettings settings, Messages messages) {
        processor.configure(settings, messages);
    }

    public void shutDown() {
        processor.shutDown();
    }

    public ActionRunner runner() {
        return processor;
    }
}
