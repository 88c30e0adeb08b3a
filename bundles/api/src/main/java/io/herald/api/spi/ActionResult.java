package io.herald.api.spi;

import java.util.List;
import java.util.Map;

import io.herald.api.ResponseCookie;

/**
 * The outcome of one call.
 *
 * @param outcome what happened, Actionhero's action status
 * @param status the status for the client: HTTP status on the web
 * @param action the action name called, or {@code null} when none was named
 * @param version the version that ran, or 0 when none did
 * @param response the response object; holds {@code error} (a string) unless the outcome is {@link Outcome#COMPLETE}
 * @param headers response headers set by the action or middleware
 * @param durationNanos time spent in the runner
 * @param responseMetadata whether the transport may add its metadata to the response (false for a response that is a
 *     document of its own, see {@link io.herald.api.ActionDefinition#responseMetadata()})
 * @param cookies cookies set by the action or middleware, at most one per name (since 1.4)
 * @since 1.0
 */
public record ActionResult(Outcome outcome, int status, String action, int version, Map<String, Object> response,
        Map<String, String> headers, long durationNanos, boolean responseMetadata, List<ResponseCookie> cookies) {

    public ActionResult {
        cookies = cookies == null ? List.of() : List.copyOf(cookies);
    }

    /** A result without cookies. */
    public ActionResult(Outcome outcome, int status, String action, int version, Map<String, Object> response,
            Map<String, String> headers, long durationNanos, boolean responseMetadata) {
        this(outcome, status, action, version, response, headers, durationNanos, responseMetadata, List.of());
    }

    /** A result whose response may carry transport metadata. */
    public ActionResult(Outcome outcome, int status, String action, int version, Map<String, Object> response,
            Map<String, String> headers, long durationNanos) {
        this(outcome, status, action, version, response, headers, durationNanos, true);
    }

    public boolean isSuccess() {
        return outcome == Outcome.COMPLETE;
    }

    /** The error message for the client, or {@code null} on success. */
    public String error() {
        Object error = response.get("error");
        return error == null ? null : error.toString();
    }
}
