package io.herald.core;

import io.herald.api.spi.Messages;
import io.herald.api.spi.ParamChecker;
import io.herald.core.internal.ParamCheckerComponent;

/** The action processor's param rules without OSGi, for tests and tools (in a framework, use the service). */
public final class ParamChecks {

    private ParamChecks() {
    }

    /** The rules worded by the catalogue's default messages. */
    public static ParamChecker standard() {
        return new ParamCheckerComponent(Messages.defaults());
    }
}
