package io.herald.core;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.herald.api.Action;
import io.herald.api.ActionDefinition;
import io.herald.api.ActionDescriptor;
import io.herald.api.ActionMiddleware;
import io.herald.api.MiddlewareDefinition;
import io.herald.api.spi.ActionRequest;
import io.herald.api.spi.ActionResult;
import io.herald.api.spi.ActionRunner;
import io.herald.api.spi.Authenticator;
import io.herald.api.spi.HeraldError;
import io.herald.api.spi.Redactor;
import io.herald.core.internal.ComponentProperties;
import io.herald.core.internal.MessageCatalogue;
import io.herald.core.internal.Pipeline;
import io.herald.core.internal.ProcessorSettings;

/**
 * The core's action pipeline outside OSGi: the same version lookup, middleware, input rules and error outcomes that
 * serve HTTP, with actions and middleware handed over directly instead of gathered as services.
 *
 * <pre>{@code
 * ActionRunner runner = ActionPipeline.builder().action(new Echo()).build();
 * }</pre>
 *
 * @since 1.0
 */
public final class ActionPipeline implements ActionRunner {

    private final Pipeline pipeline;

    private ActionPipeline(Pipeline pipeline) {
        this.pipeline = pipeline;
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public ActionResult run(ActionRequest request) {
        return pipeline.runner().run(request);
    }

    @Override
    public List<ActionDescriptor> actions() {
        return pipeline.runner().actions();
    }

    /** Builds an {@link ActionPipeline}. Not thread-safe; the pipeline it builds is. */
    public static final class Builder {

        private record Entry<T>(T service, Map<String, Object> properties) {
        }

        private final List<Entry<Action>> actions = new ArrayList<>();
        private final List<Entry<ActionMiddleware>> middleware = new ArrayList<>();
        private Authenticator authenticator;
        private Redactor redactor;
        private final Map<String, String> messages = new LinkedHashMap<>();
        private int simultaneousActions = ProcessorSettings.defaults().simultaneousActions();
        private boolean disableParamScrubbing;
        private boolean exposeErrors = true;

        private Builder() {
        }

        /** Adds an action whose class carries {@link ActionDefinition}. */
        public Builder action(Action action) {
            ActionDefinition definition = action.getClass().getAnnotation(ActionDefinition.class);
            if (definition == null) {
                throw new IllegalArgumentException(action.getClass().getName() + " has no @ActionDefinition: use "
                        + "action(action, properties) to give its metadata");
            }
            return action(action, ComponentProperties.of(definition));
        }

        /** Adds an action with explicit service properties ({@code herald.action.name}, ...), e.g. for a lambda. */
        public Builder action(Action action, Map<String, Object> properties) {
            actions.add(new Entry<>(action, new LinkedHashMap<>(properties)));
            return this;
        }

        /** Adds middleware whose class carries {@link MiddlewareDefinition}. */
        public Builder middleware(ActionMiddleware m) {
            MiddlewareDefinition definition = m.getClass().getAnnotation(MiddlewareDefinition.class);
            if (definition == null) {
                throw new IllegalArgumentException(m.getClass().getName() + " has no @MiddlewareDefinition: use "
                        + "middleware(middleware, properties) to give its metadata");
            }
            return middleware(m, ComponentProperties.of(definition));
        }

        /** Adds middleware with explicit service properties ({@code herald.middleware.name}, ...). */
        public Builder middleware(ActionMiddleware m, Map<String, Object> properties) {
            middleware.add(new Entry<>(m, new LinkedHashMap<>(properties)));
            return this;
        }

        /**
         * The authenticator that establishes callers. Without one, actions that declare {@code authenticated} or
         * {@code roles} are refused, as on a node where no authentication runs.
         */
        public Builder authenticator(Authenticator authenticator) {
            this.authenticator = authenticator;
            return this;
        }

        /** The redactor of logged params. Without one, the action log line names params without their values. */
        public Builder redactor(Redactor redactor) {
            this.redactor = redactor;
            return this;
        }

        /** Calls one connection may have pending (default 5). */
        public Builder simultaneousActions(int limit) {
            this.simultaneousActions = limit;
            return this;
        }

        /** Keep params the action does not declare. */
        public Builder disableParamScrubbing(boolean disable) {
            this.disableParamScrubbing = disable;
            return this;
        }

        /** Whether clients see the message of unexpected exceptions (default true; production turns it off). */
        public Builder exposeErrors(boolean expose) {
            this.exposeErrors = expose;
            return this;
        }

        /** Rewords a catalogue message, as the {@code io.herald.errors} configuration does. */
        public Builder message(HeraldError error, String template) {
            messages.put(error.name(), template);
            return this;
        }

        /**
         * @throws IllegalArgumentException when an action or middleware cannot be registered (it names why)
         */
        public ActionPipeline build() {
            // No replacement grace: nothing is hot-replaced here, and an unknown action should fail at once.
            ProcessorSettings settings = new ProcessorSettings(simultaneousActions, disableParamScrubbing, exposeErrors,
                    0);
            Pipeline pipeline = new Pipeline(MessageCatalogue.withOverrides(messages), settings);
            long order = 0;
            if (authenticator != null) {
                pipeline.addAuthenticator(authenticator, 0, order++);
            }
            if (redactor != null) {
                pipeline.addRedactor(redactor, 0, order++);
            }
            for (Entry<Action> a : actions) {
                if (!pipeline.addAction(a.service(), a.properties(), order++)) {
                    throw new IllegalArgumentException("action " + a.service().getClass().getName()
                            + " cannot be registered: see the log");
                }
            }
            for (Entry<ActionMiddleware> m : middleware) {
                if (!pipeline.addMiddleware(m.service(), m.properties(), order++)) {
                    throw new IllegalArgumentException("middleware " + m.service().getClass().getName()
                            + " cannot be registered: see the log");
                }
            }
            return new ActionPipeline(pipeline);
        }
    }
}
