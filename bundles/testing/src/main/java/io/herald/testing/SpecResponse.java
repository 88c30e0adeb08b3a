package io.herald.testing;

import java.util.List;
import java.util.Map;

import io.herald.api.ResponseCookie;
import io.herald.api.spi.ActionResult;
import io.herald.api.spi.Outcome;

/**
 * What a client would receive from one call: the response fields, the status and the error.
 *
 * @since 1.0
 */
public final class SpecResponse {

    private final ActionResult result;

    SpecResponse(ActionResult result) {
        this.result = result;
    }

    /** One field of the response, or {@code null}. */
    public Object get(String field) {
        return result.response().get(field);
    }

    /** The whole response object, as the client sees it (without transport metadata). */
    public Map<String, Object> body() {
        return result.response();
    }

    /** The error message, or {@code null} when the call succeeded. */
    public String error() {
        return result.error();
    }

    /** The status: the HTTP status the web transport would answer with. */
    public int status() {
        return result.status();
    }

    public Outcome outcome() {
        return result.outcome();
    }

    public boolean isSuccess() {
        return result.isSuccess();
    }

    /** Headers set by the action or its middleware. */
    public Map<String, String> headers() {
        return result.headers();
    }

    /** The version of the action that ran. */
    /** The cookies the action or its middleware set. @since 1.1 */
    public List<ResponseCookie> cookies() {
        return result.cookies();
    }

    public int version() {
        return result.version();
    }

    @Override
    public String toString() {
        return result.status() + " " + result.response();
    }
}
