package io.herald.testing;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import io.herald.api.Action;
import io.herald.api.ActionMiddleware;
import io.herald.api.Caller;
import io.herald.api.Connection;
import io.herald.api.RequestMetadata;
import io.herald.api.spi.ActionRequest;
import io.herald.api.spi.Authenticator;
import io.herald.api.spi.HeraldError;
import io.herald.api.spi.TransportConnection;
import io.herald.core.ActionPipeline;

/**
 * Runs actions through Herald's full pipeline in a unit test, as Actionhero's {@code specHelper.runAction}:
 *
 * <pre>{@code
 * SpecHelper spec = SpecHelper.of(new Echo());
 * SpecResponse response = spec.runAction("echo", Map.of("message", "hi"));
 * assertEquals("hi", response.get("message"));
 * assertEquals("message is a required parameter for this action", spec.runAction("echo").error());
 * }</pre>
 *
 * Actions and middleware are read from their {@code @ActionDefinition} and {@code @MiddlewareDefinition} annotations,
 * exactly as Declarative Services publishes them under OSGi. Thread-safe.
 *
 * <p>Protected actions ({@code authenticated}, {@code roles}) run for the caller given to
 * {@link #runActionAs(Caller, String, Map)}; a plain {@code runAction} is anonymous and gets the 401 a client without
 * credentials gets. {@link Builder#authenticator(Authenticator)} replaces this with a real authenticator, which then
 * reads the credentials given by {@link #runAction(String, Map, RequestMetadata)}.
 *
 * @since 1.0
 */
public final class SpecHelper {

    private final ActionPipeline pipeline;
    private final String connectionType;
    private final Map<String, Caller> callers;

    private SpecHelper(ActionPipeline pipeline, String connectionType, Map<String, Caller> callers) {
        this.pipeline = pipeline;
        this.connectionType = connectionType;
        this.callers = callers;
    }

    /** A helper serving these actions and middleware ({@link Action} and {@link ActionMiddleware} instances). */
    public static SpecHelper of(Object... actionsAndMiddleware) {
        Builder builder = builder();
        for (Object o : actionsAndMiddleware) {
            builder.add(o);
        }
        return builder.build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Runs an action with no params. */
    public SpecResponse runAction(String name) {
        return runAction(name, Map.of());
    }

    /** Runs an action on a new connection of this helper's type (default {@value Connection#IN_PROCESS}). */
    public SpecResponse runAction(String name, Map<String, ?> params) {
        return runAction(name, params, buildConnection());
    }

    /** Runs an action on the given connection: use {@link #buildConnection()} to share one between calls. */
    public SpecResponse runAction(String name, Map<String, ?> params, Connection connection) {
        return new SpecResponse(pipeline.run(ActionRequest.of(name, new LinkedHashMap<>(params), connection)));
    }

    /** Runs an action with the headers, cookies and TLS of {@code request}, as a transport hands them over. @since 1.1 */
    public SpecResponse runAction(String name, Map<String, ?> params, RequestMetadata request) {
        return new SpecResponse(pipeline.run(ActionRequest.of(name, new LinkedHashMap<>(params), buildConnection())
                .withMetadata(request)));
    }

    /**
     * Runs an action as {@code caller}, as if the node's authentication had established it from the request.
     *
     * @throws IllegalStateException when the builder was given an authenticator: that one decides who calls
     * @since 1.1
     */
    public SpecResponse runActionAs(Caller caller, String name, Map<String, ?> params) {
        if (callers == null) {
            throw new IllegalStateException("this helper has its own authenticator: give it credentials with "
                    + "runAction(name, params, RequestMetadata)");
        }
        Connection connection = buildConnection();
        callers.put(connection.id(), caller);
        try {
            return runAction(name, params, connection);
        } finally {
            callers.remove(connection.id());
        }
    }

    /** Runs a pinned version of an action, as a route with an {@code apiVersion} does. */
    public SpecResponse runAction(String name, int version, Map<String, ?> params) {
        return new SpecResponse(pipeline.run(ActionRequest.of(name, new LinkedHashMap<>(params), buildConnection())
                .withApiVersion(version)));
    }

    /** A new connection of this helper's type, as Actionhero's {@code specHelper.buildConnection()}. */
    public Connection buildConnection() {
        String id = UUID.randomUUID().toString();
        return new TransportConnection(id, connectionType, "127.0.0.1", 0, id);
    }

    /** Builds a {@link SpecHelper}. */
    public static final class Builder {

        private final ActionPipeline.Builder pipeline = ActionPipeline.builder();
        private String connectionType = Connection.IN_PROCESS;
        private boolean ownAuthenticator;

        private Builder() {
        }

        /** Adds an {@link Action} or an {@link ActionMiddleware} (or an object that is both). */
        public Builder add(Object actionOrMiddleware) {
            boolean known = false;
            if (actionOrMiddleware instanceof Action action) {
                pipeline.action(action);
                known = true;
            }
            if (actionOrMiddleware instanceof ActionMiddleware middleware) {
                pipeline.middleware(middleware);
                known = true;
            }
            if (!known) {
                throw new IllegalArgumentException(actionOrMiddleware.getClass().getName()
                        + " is neither an Action nor an ActionMiddleware");
            }
            return this;
        }

        /** Adds an action with explicit metadata ({@code herald.action.name}, ...), for lambdas. */
        public Builder action(Action action, Map<String, Object> properties) {
            pipeline.action(action, properties);
            return this;
        }

        /** Calls arrive on connections of this type ({@code web}, {@code websocket}, ...), for blockedConnectionTypes. */
        public Builder connectionType(String type) {
            this.connectionType = type;
            return this;
        }

        /**
         * Authenticates calls with {@code authenticator} (an authentication bundle's, say) in place of the helper's
         * own, which knows only the callers given to {@link SpecHelper#runActionAs}.
         *
         * @since 1.1
         */
        public Builder authenticator(Authenticator authenticator) {
            pipeline.authenticator(authenticator);
            ownAuthenticator = true;
            return this;
        }

        /** Calls one connection may have pending (default 5). */
        public Builder simultaneousActions(int limit) {
            pipeline.simultaneousActions(limit);
            return this;
        }

        /** Whether clients see the message of unexpected exceptions (default true, as in development). */
        public Builder exposeErrors(boolean expose) {
            pipeline.exposeErrors(expose);
            return this;
        }

        /** Rewords a catalogue message, as the {@code io.herald.errors} configuration does. */
        public Builder message(HeraldError error, String template) {
            pipeline.message(error, template);
            return this;
        }

        public SpecHelper build() {
            if (ownAuthenticator) {
                return new SpecHelper(pipeline.build(), connectionType, null);
            }
            Map<String, Caller> callers = new ConcurrentHashMap<>();
            pipeline.authenticator((request, connection) -> callers.get(connection.id()));
            return new SpecHelper(pipeline.build(), connectionType, callers);
        }
    }
}
