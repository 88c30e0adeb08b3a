package io.herald.api;

import java.util.Map;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/**
 * One call of an action as middleware sees it. Implemented by the core.
 *
 * @since 1.0
 */
@ProviderType
public interface ActionInvocation {

    ActionDescriptor action();

    /**
     * The params. In pre-processors: every param the client sent, modifiable (added params survive scrubbing only when
     * the action declares them). In post-processors: the validated params, read-only.
     */
    Map<String, Object> params();

    Connection connection();

    /** The response being built, modifiable: fields put here are merged with the action's. */
    Map<String, Object> response();

    /** From a pre-processor: do not run the action, answer with the response as it is (Actionhero's {@code toProcess = false}). */
    void skipAction();

    /** Whether a pre-processor called {@link #skipAction()}. */
    boolean isActionSkipped();

    /** Sets the response status. */
    void setStatus(int status);

    /** Sets a response header. */
    void setHeader(String name, String value);

    /** Headers, cookies and TLS of the request, as far as the transport knows them. @since 1.1 */
    RequestMetadata request();

    /** Who calls, as the node's authentication established it; empty for an anonymous call. @since 1.1 */
    Optional<Caller> caller();

    /** Sets a cookie on the response; a later cookie of the same name replaces it. Transports without cookies ignore it. @since 1.1 */
    void setCookie(ResponseCookie cookie);
}
