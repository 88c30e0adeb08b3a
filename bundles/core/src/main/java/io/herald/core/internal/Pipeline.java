package io.herald.core.internal;

import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

import io.herald.api.Action;
import io.herald.api.ActionMiddleware;
import io.herald.api.spi.ActionRunner;
import io.herald.api.spi.Messages;

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
    private final ActionProcessor processor;

    public Pipeline(Messages messages, Settings settings) {
        ObjectMapper mapper = JsonMapper.builder().findAndAddModules().build();
        this.processor = new ActionProcessor(actions, middleware, mapper, messages, settings.toProcessorSettings());
    }

    /** Processor settings, as public values for the exported builder and the configuration. */
    public record Settings(int simultaneousActions, boolean disableParamScrubbing, boolean exposeErrors,
            long replacementGraceMillis, java.util.List<String> filteredParams) {

        public static Settings defaults() {
            ProcessorSettings d = ProcessorSettings.defaults();
            return new Settings(d.simultaneousActions(), d.disableParamScrubbing(), d.exposeErrors(),
                    d.replacementGraceMillis(), java.util.List.copyOf(d.filteredParams()));
        }

        ProcessorSettings toProcessorSettings() {
            if (simultaneousActions < 1) {
                throw new IllegalArgumentException("simultaneousActions must be at least 1, was " + simultaneousActions);
            }
            return new ProcessorSettings(simultaneousActions, disableParamScrubbing, exposeErrors,
                    Math.max(0, replacementGraceMillis), ProcessorSettings.filtered(filteredParams));
        }
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

    public void configure(Settings settings, Messages messages) {
        processor.configure(settings.toProcessorSettings(), messages);
    }

    public void shutDown() {
        processor.shutDown();
    }

    public ActionRunner runner() {
        return processor;
    }
}
