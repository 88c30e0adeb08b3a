package io.herald.api;

import java.util.Map;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/**
 * What an action sees of the request it serves. Implemented by the core; one instance per call.
 *
 * @since 1.0
 */
@ProviderType
public interface ActionContext {

    /** The action being run. */
    ActionDescriptor action();

    /** The validated params, read-only. Holds only declared inputs plus the global safe params. */
    Map<String, Object> params();

    /** One param, or {@code null} when absent. */
    default Object param(String name) {
        return params().get(name);
    }

    /**
     * One param converted to {@code type} ({@code "42"} to {@code Integer}, {@code "true"} to {@code Boolean}, a
     * JSON object to a record, ...), or {@code null} when absent.
     *
     * @throws ActionException with status 422 when the value cannot be converted
     */
    <T> T param(String name, Class<T> type);

    /** The connection the call came on. */
    Connection connection();

    /** Sets the response status (HTTP status on the web; reported in the message on other transports). */
    void setStatus(int status);

    /** Sets a response header. Transports without headers ignore it. */
    void setHeader(String name, String value);

    /** Headers, cookies and TLS of the request, as far as the transport knows them. @since 1.1 */
    RequestMetadata request();

    /** Who calls, as the node's authentication established it; empty for an anonymous call. @since 1.1 */
    Optional<Caller> caller();

    /** Sets a cookie on the response; a later cookie of the same name replaces it. Transports without cookies ignore it. @since 1.1 */
    void setCookie(ResponseCookie cookie);
}
