package io.herald.core.internal;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.herald.api.ActionDescriptor;
import io.herald.api.ActionException;
import io.herald.api.Caller;
import io.herald.api.Connection;
import io.herald.api.RequestMetadata;
import io.herald.api.spi.ActionRequest;
import io.herald.core.properties.RankedServices;
import io.herald.api.spi.ActionResult;
import io.herald.api.spi.ActionRunner;
import io.herald.api.spi.AuthenticationException;
import io.herald.api.spi.Authenticator;
import io.herald.api.spi.HeraldError;
import io.herald.api.spi.Messages;
import io.herald.api.spi.Outcome;
import io.herald.api.spi.Redactor;
import io.herald.api.spi.TransportConnection;

/**
 * Runs a call through Actionhero's pipeline ({@code actionProcessor.ts}), in this order:
 * <ol>
 * <li>find the action and version (the request's, else the {@code apiVersion} param, else the latest);</li>
 * <li>refuse when shutting down, when the connection has too many calls pending, for an unknown action, for a blocked
 * connection type, when a middleware the action names is not running;</li>
 * <li>authenticate the caller from the request's credentials; refuse a protected action to a caller without the
 * credentials or roles it declares, and to everyone while no authenticator runs;</li>
 * <li>middleware pre-processors (they see every param and the caller);</li>
 * <li>scrub undeclared params (unless the setting or the action says not to), then defaults, formatters, validators, required checks; lock the params;</li>
 * <li>run the action unless a pre-processor skipped it, then the post-processors.</li>
 * </ol>
 * Every outcome is an {@link ActionResult}; nothing the client or the action does escapes as an exception.
 */
public final class ActionProcessor implements ActionRunner {

    private final ActionRegistry actions;
    private final MiddlewareRegistry middleware;
    private final ObjectMapper mapper;
    private final RankedServices<Authenticator> authenticators;
    private final RankedServices<Redactor> redactors;
    private final ActionObservers observers = new ActionObservers();
    private volatile Messages messages;
    private volatile ProcessorSettings settings;
    private volatile boolean shuttingDown;

    ActionProcessor(ActionRegistry actions, MiddlewareRegistry middleware, RankedServices<Authenticator> authenticators,
            RankedServices<Redactor> redactors, ObjectMapper mapper, Messages messages, ProcessorSettings settings) {
        this.actions = actions;
        this.middleware = middleware;
        this.authenticators = authenticators;
        this.redactors = redactors;
        this.mapper = mapper;
        this.messages = messages;
        this.settings = settings;
    }

    void configure(ProcessorSettings settings, Messages messages) {
        this.settings = settings;
        this.messages = messages;
    }

    /** The observers told of every call's result. */
    ActionObservers observers() {
        return observers;
    }

    /** From now on new calls get {@code the server is shutting down}; calls in flight finish. */
    void shutDown() {
        shuttingDown = true;
    }

    @Override
    public List<ActionDescriptor> actions() {
        return actions.all();
    }

    @Override
    public ActionResult run(ActionRequest request) {
        long started = System.nanoTime();
        Connection connection = request.connection();
        TransportConnection counted = connection instanceof TransportConnection t ? t : null;
        int pending = counted == null ? 1 : counted.beginAction();
        // JSON logs only: the call's ids go to the MDC, so every line logged while it runs carries them.
        CallLogContext logContext = ActionLog.STRUCTURED ? CallLogContext.enter(connection.id(), request.requestId()) : null;
        try {
            ActionResult result = process(request, connection, pending, started);
            observers.completed(result, connection);
            return result;
        } finally {
            if (logContext != null) {
                logContext.close();
            }
            if (counted != null) {
                counted.endAction();
            }
        }
    }

    private ActionResult process(ActionRequest request, Connection connection, int pending, long started) {
        ProcessorSettings current = settings;
        Map<String, Object> params = request.params();
        String name = request.action() != null ? request.action() : stringOrNull(params.get("action"));
        Integer version = request.apiVersion();
        boolean versionValid = true;
        if (version == null && params.get("apiVersion") != null) {
            version = parseVersion(params.get("apiVersion"));
            versionValid = version != null;
        }

        String requestId = request.requestId();
        if (shuttingDown) {
            return refuse(Outcome.SERVER_SHUTTING_DOWN, HeraldError.SERVER_SHUTTING_DOWN, name, params, connection, started,
                    requestId);
        }
        // Actionhero counts the call itself, then refuses above the limit.
        if (pending > current.simultaneousActions()) {
            return refuse(Outcome.TOO_MANY_PENDING_ACTIONS, HeraldError.TOO_MANY_PENDING_ACTIONS, name, params, connection,
                    started, requestId);
        }
        RegisteredAction action = versionValid && name != null ? actions.acquire(name, version) : null;
        if (action == null && versionValid) {
            action = awaitReplacement(name, version, current);
        }
        if (action == null) {
            return refuse(Outcome.UNKNOWN_ACTION, HeraldError.UNKNOWN_ACTION, name, params, connection, started, requestId);
        }
        try {
            return process(action, params, connection, request.metadata(), requestId, started, current);
        } finally {
            // the registry waits for this before the action's bundle stops
            action.exit();
        }
    }

    private ActionResult process(RegisteredAction action, Map<String, Object> params, Connection connection,
            RequestMetadata metadata, String requestId, long started, ProcessorSettings current) {
        // Actionhero reports the version used back in the params.
        params.putIfAbsent("apiVersion", action.version());
        if (action.blocks(connection.type())) {
            return refuse(Outcome.UNSUPPORTED_CONNECTION_TYPE, HeraldError.UNSUPPORTED_CONNECTION_TYPE, action, params,
                    connection, requestId, started, connection.type());
        }
        MiddlewareRegistry.Chain chain = middleware.chainFor(action);
        if (chain.missing() != null) {
            return refuse(Outcome.MIDDLEWARE_UNAVAILABLE, HeraldError.MIDDLEWARE_UNAVAILABLE, action, params, connection,
                    requestId, started, chain.missing());
        }
        return execute(action, chain, params, connection, metadata, requestId, started, current);
    }

    private ActionResult execute(RegisteredAction action, MiddlewareRegistry.Chain chain, Map<String, Object> params,
            Connection connection, RequestMetadata metadata, String requestId, long started, ProcessorSettings current) {
        Call call = new Call(action, params, connection, metadata, mapper, messages, requestId);
        try {
            ActionResult refused = authorize(call, action, started);
            if (refused != null) {
                return refused;
            }
            for (RegisteredMiddleware m : chain.middleware()) {
                m.middleware().preProcess(call);
            }
            if (!current.disableParamScrubbing() && action.scrubParams()) {
                ParamValidation.scrub(action.inputs(), call.params());
            }
            ParamValidation.Problem problem = ParamValidation.apply(action.inputs(), call.params());
            if (problem != null) {
                Outcome outcome = problem.error() == HeraldError.MISSING_PARAMS ? Outcome.MISSING_PARAMS : Outcome.INVALID_PARAMS;
                return fail(call, outcome, problem.error().status(), messages.format(problem.error(), problem.args()),
                        started, null, null);
            }
            call.lockParams();
            if (!call.isActionSkipped()) {
                ResponseValues.merge(action.action().run(call), call.response(), action.name());
                for (RegisteredMiddleware m : chain.middleware()) {
                    m.middleware().postProcess(call);
                }
            }
            ActionResult result = new ActionResult(Outcome.COMPLETE, call.status(), action.name(), action.version(),
                    call.response(), call.headers(), System.nanoTime() - started, action.responseMetadata(), call.cookies());
            ActionLog.completed(result, connection, call.params(), action.logLevel(), redactors.best(), null, null,
                    requestId);
            return result;
        } catch (ActionException e) {
            return fail(call, Outcome.GENERIC_ERROR, e.status(), e.getMessage(), started, e.status() >= 500 ? e : null, null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return unexpected(call, e, started, current);
        } catch (Exception | LinkageError | AssertionError | StackOverflowError e) {
            // LinkageError: a bundle refreshed under a call in flight; the error boundary still answers.
            return unexpected(call, e, started, current);
        }
    }

    /**
     * Establishes the caller, then holds the action to its declaration. Runs before any middleware, so no middleware
     * sees a caller it could not trust, and a protected action is refused while no authenticator runs.
     *
     * @return the refusal, or {@code null} when the call may go on
     */
    private ActionResult authorize(Call call, RegisteredAction action, long started) {
        Authenticator authenticator = authenticators.best();
        Caller caller = null;
        if (authenticator != null) {
            try {
                caller = authenticator.authenticate(call.request(), call.connection());
            } catch (AuthenticationException e) {
                return refuseCaller(call, Outcome.UNAUTHENTICATED, e.error(), started, e.args());
            }
        }
        call.authenticated(caller);
        if (!action.authenticated()) {
            return null;
        }
        if (authenticator == null) {
            return refuseCaller(call, Outcome.UNAUTHENTICATED, HeraldError.AUTHENTICATION_UNAVAILABLE, started);
        }
        if (caller == null) {
            return refuseCaller(call, Outcome.UNAUTHENTICATED, HeraldError.AUTHENTICATION_REQUIRED, started);
        }
        if (!caller.hasRoles(action.roles())) {
            return refuseCaller(call, Outcome.FORBIDDEN, HeraldError.ROLE_REQUIRED, started,
                    String.join(", ", action.roles()));
        }
        return null;
    }

    private ActionResult refuseCaller(Call call, Outcome outcome, HeraldError error, long started, Object... args) {
        if (error.status() == 401) {
            // RFC 9110: a 401 names the scheme that would be accepted.
            call.setHeader("WWW-Authenticate", "Bearer realm=\"herald\"");
        } else if (error.status() == 429 && args.length > 0) {
            call.setHeader("Retry-After", String.valueOf(args[0]));
        }
        return fail(call, outcome, error.status(), messages.format(error, args), started, null, null);
    }

    private ActionResult unexpected(Call call, Throwable e, long started, ProcessorSettings current) {
        String reference = UUID.randomUUID().toString();
        String message = current.exposeErrors()
                ? e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage())
                : messages.format(HeraldError.INTERNAL_ERROR, reference);
        return fail(call, Outcome.GENERIC_ERROR, HeraldError.INTERNAL_ERROR.status(), message, started, e, reference);
    }

    private ActionResult fail(Call call, Outcome outcome, int status, String message, long started, Throwable failure,
            String reference) {
        call.response().put("error", message);
        RegisteredAction action = call.registeredAction();
        ActionResult result = new ActionResult(outcome, status, action.name(), action.version(), call.response(),
                call.headers(), System.nanoTime() - started, true, call.cookies());
        ActionLog.completed(result, call.connection(), call.params(), action.logLevel(), redactors.best(), failure,
                reference, call.requestId());
        return result;
    }

    private ActionResult refuse(Outcome outcome, HeraldError error, String name, Map<String, Object> params,
            Connection connection, long started, String requestId) {
        Map<String, Object> response = new java.util.LinkedHashMap<>();
        response.put("error", messages.format(error));
        ActionResult result = new ActionResult(outcome, error.status(), name, 0, response, Map.of(), System.nanoTime() - started);
        ActionLog.completed(result, connection, params, "info", redactors.best(), null, null, requestId);
        return result;
    }

    private ActionResult refuse(Outcome outcome, HeraldError error, RegisteredAction action, Map<String, Object> params,
            Connection connection, String requestId, long started, Object argument) {
        Map<String, Object> response = new java.util.LinkedHashMap<>();
        response.put("error", messages.format(error, argument));
        ActionResult result = new ActionResult(outcome, error.status(), action.name(), action.version(), response, Map.of(),
                System.nanoTime() - started);
        ActionLog.completed(result, connection, params, action.logLevel(), redactors.best(), null, null, requestId);
        return result;
    }

    private RegisteredAction awaitReplacement(String name, Integer version, ProcessorSettings current) {
        try {
            return actions.awaitReplacement(name, version, current.replacementGraceMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    private static String stringOrNull(Object value) {
        return value instanceof String s && !s.isEmpty() ? s : null;
    }

    private static Integer parseVersion(Object value) {
        if (value instanceof Number n) {
            return n.intValue();
        }
        try {
            return Integer.valueOf(value.toString().trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
