package io.herald.api.spi;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

import io.herald.api.Connection;

/**
 * One call as a transport hands it to the {@link ActionRunner}.
 *
 * @since 1.0
 */
public final class ActionRequest {

    private final String action;
    private final Integer apiVersion;
    private final Map<String, Object> params;
    private final Connection connection;

    private ActionRequest(String action, Integer apiVersion, Map<String, Object> params, Connection connection) {
        this.action = action;
        this.apiVersion = apiVersion;
        this.params = params;
        this.connection = connection;
    }

    /**
     * @param action the action name, or {@code null} to take it from the {@code action} param
     * @param params the params the client sent; the map is copied
     */
    public static ActionRequest of(String action, Map<String, ?> params, Connection connection) {
        return new ActionRequest(action, null, new LinkedHashMap<>(params), Objects.requireNonNull(connection, "connection"));
    }

    /** The same call pinned to a version, as a route with an {@code apiVersion} does. */
    public ActionRequest withApiVersion(int version) {
        return new ActionRequest(action, version, params, connection);
    }

    /** The action name given by the transport, or {@code null}. */
    public String action() {
        return action;
    }

    /** The version pinned by the transport (a route), or {@code null}: then the {@code apiVersion} param, else the latest. */
    public Integer apiVersion() {
        return apiVersion;
    }

    /** The params the client sent. The runner owns this map once the request is handed over. */
    public Map<String, Object> params() {
        return params;
    }

    public Connection connection() {
        return connection;
    }
}
