package io.herald.api.spi;

import java.util.List;

import io.herald.api.ActionDescriptor;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Runs actions through the full pipeline: version lookup, connection checks, middleware, inputs, the action, and
 * the error outcomes. Provided by the core as a service; every transport calls it.
 *
 * @since 1.0
 */
@ProviderType
public interface ActionRunner {

    /**
     * Runs one call. Never throws for anything the client did or the action threw: every outcome is an
     * {@link ActionResult}. Blocks the calling thread until the action returns.
     */
    ActionResult run(ActionRequest request);

    /** Every registered action version, sorted by name then version. */
    List<ActionDescriptor> actions();
}
