package io.herald.api.spi;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

import io.herald.api.Connection;
import io.herald.api.RequestMetadata;

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
    private final RequestMetadata metadata;
    private final String requestId;

    private ActionRequest(String action, Integer apiVersion, Map<String, Object> params, Connection connection,
            RequestMetadata metadata, String requestId) {
        this.action = action;
        this.apiVersion = apiVersion;
        this.params = params;
        this.connection = connection;
        this.metadata = metadata;
        this.requestId = requestId;
    }

    /**
     * @param action the action name, or {@code null} to take it from the {@code action} param
     * @param params the params the client sent; the map is copied
     */
    public static ActionRequest of(String action, Map<String, ?> params, Connection connection) {
        return new ActionRequest(action, null, new LinkedHashMap<>(params), Objects.requireNonNull(connection, "connection"),
                RequestMetadata.none(), null);
    }

    /** The same call pinned to a version, as a route with an {@code apiVersion} does. */
    public ActionRequest withApiVersion(int version) {
        return new ActionRequest(action, version, params, connection, metadata, requestId);
    }

    /** The same call with the request's headers, cookies and TLS. @since 1.4 */
    public ActionRequest withMetadata(RequestMetadata metadata) {
        return new ActionRequest(action, apiVersion, params, connection, Objects.requireNonNull(metadata, "metadata"),
                requestId);
    }

    /**
     * The same call with the id that correlates it with the client's and the proxies' logs: the web transport's
     * {@code X-Request-Id} (or one it made up), a stateful transport's {@code messageId}. The core puts it on the
     * call's log lines. @since 1.8
     */
    public ActionRequest withRequestId(String requestId) {
        return new ActionRequest(action, apiVersion, params, connection, metadata, requestId);
    }

    /** The id the transport gave the call ({@link #withRequestId}), or {@code null}. @since 1.8 */
    public String requestId() {
        return requestId;
    }

    /** Headers, cookies and TLS of the request; {@link RequestMetadata#none()} unless the transport gave them. @since 1.4 */
    public RequestMetadata metadata() {
        return metadata;
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
