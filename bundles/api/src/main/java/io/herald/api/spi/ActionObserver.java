package io.herald.api.spi;

import io.herald.api.Connection;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Told of every call the core ran, whatever its outcome: a refusal before any action was found, a client error, a
 * failure, a success. For counting and timing calls (the metrics bundle); {@link io.herald.api.ActionMiddleware} is
 * the hook for changing a call, but its post-processors see only the calls that succeeded.
 *
 * <p>Publish it as a service; the core calls every one, on the calling thread, once the {@link ActionResult} is built
 * and before the transport writes it. It must be quick and must not block: it adds to the latency of every call. What
 * it throws is logged and otherwise ignored.
 *
 * @since 1.8
 */
@ConsumerType
public interface ActionObserver {

    /**
     * @param result the call's result; {@link ActionResult#version()} is 0 when no registered action ran (an unknown
     *     action, a refusal before the lookup), so {@link ActionResult#action()} is then whatever the client named
     * @param connection the connection the call came on ({@link io.herald.api.Connection#type()} names the transport)
     */
    void completed(ActionResult result, Connection connection);
}
