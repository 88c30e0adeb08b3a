package io.herald.core.internal;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.herald.api.ActionContext;
import io.herald.api.ActionDescriptor;
import io.herald.api.ActionException;
import io.herald.api.ActionInvocation;
import io.herald.api.Caller;
import io.herald.api.Connection;
import io.herald.api.RequestMetadata;
import io.herald.api.ResponseCookie;
import io.herald.api.UploadedFile;
import io.herald.api.spi.HeraldError;
import io.herald.api.spi.Messages;

/** The state of one call, as the action ({@link ActionContext}) and its middleware ({@link ActionInvocation}) see it. */
final class Call implements ActionContext, ActionInvocation {

    private final RegisteredAction action;
    private final Connection connection;
    private final RequestMetadata request;
    private final ObjectMapper mapper;
    private final Messages messages;
    private final String requestId;
    private final Map<String, Object> response = new LinkedHashMap<>();
    private Map<String, Object> params;
    private Map<String, String> headers = Map.of();
    private List<ResponseCookie> cookies = List.of();
    private Caller caller;
    private int status = 200;
    private boolean actionSkipped;

    Call(RegisteredAction action, Map<String, Object> params, Connection connection, RequestMetadata request,
            ObjectMapper mapper, Messages messages, String requestId) {
        this.action = action;
        this.params = params;
        this.connection = connection;
        this.request = request;
        this.mapper = mapper;
        this.messages = messages;
        this.requestId = requestId;
    }

    /** The transport's id of the call ({@link io.herald.api.spi.ActionRequest#requestId()}), or {@code null}. */
    String requestId() {
        return requestId;
    }

    /** From here on the params are read-only (Actionhero's {@code lockParams}). */
    void lockParams() {
        params = Collections.unmodifiableMap(params);
    }

    RegisteredAction registeredAction() {
        return action;
    }

    int status() {
        return status;
    }

    Map<String, String> headers() {
        return headers;
    }

    List<ResponseCookie> cookies() {
        return cookies;
    }

    /** Set by the core's authentication step, before any middleware runs; never by middleware. */
    void authenticated(Caller caller) {
        this.caller = caller;
    }

    @Override
    public ActionDescriptor action() {
        return action;
    }

    @Override
    public Map<String, Object> params() {
        return params;
    }

    @Override
    public <T> T param(String name, Class<T> type) {
        Object value = params.get(name);
        if (value == null) {
            return null;
        }
        if (type.isInstance(value)) {
            return type.cast(value);
        }
        if (UploadedFile.class.isAssignableFrom(type)) {
            // Never built from what a client sent (a JSON object naming any path on the server): only the web
            // transport's upload handling makes one.
            throw new ActionException(HeraldError.UNFORMATTABLE_PARAM.status(), messages.format(HeraldError.UNFORMATTABLE_PARAM,
                    name, ParamValidation.NOT_AN_UPLOAD));
        }
        try {
            return mapper.convertValue(value, type);
        } catch (IllegalArgumentException e) {
            throw new ActionException(HeraldError.UNFORMATTABLE_PARAM.status(), messages.format(HeraldError.UNFORMATTABLE_PARAM,
                    name, "cannot be read as " + type.getSimpleName()));
        }
    }

    @Override
    public Connection connection() {
        return connection;
    }

    @Override
    public Map<String, Object> response() {
        return response;
    }

    @Override
    public void skipAction() {
        actionSkipped = true;
    }

    @Override
    public boolean isActionSkipped() {
        return actionSkipped;
    }

    @Override
    public void setStatus(int status) {
        if (status < 100 || status > 599) {
            throw new IllegalArgumentException("status must be between 100 and 599, was " + status);
        }
        this.status = status;
    }

    @Override
    public RequestMetadata request() {
        return request;
    }

    @Override
    public Optional<Caller> caller() {
        return Optional.ofNullable(caller);
    }

    @Override
    public void setCookie(ResponseCookie cookie) {
        if (cookies.isEmpty()) {
            cookies = new ArrayList<>(2);
        }
        cookies.removeIf(c -> c.name().equals(cookie.name()));
        cookies.add(cookie);
    }

    /**
     * @throws IllegalArgumentException when the name is not a token or the value holds a control character: a value
     *     copied from a request must not split the response's headers
     */
    @Override
    public void setHeader(String name, String value) {
        HeaderValues.check(name, value);
        if (headers.isEmpty()) {
            headers = new LinkedHashMap<>();
        }
        headers.put(name, value);
    }
}
