package io.herald.core.internal;

import java.util.List;
import java.util.Set;

/**
 * How the action processor behaves; from the {@code io.herald.core} configuration.
 *
 * @param simultaneousActions calls one connection may have pending; more get {@code too many pending requests}
 *     (Actionhero's {@code simultaneousActions}, default 5)
 * @param disableParamScrubbing keep params the action does not declare (Actionhero's {@code disableParamScrubbing})
 * @param exposeErrors show the message of unexpected exceptions to clients; off in production, where clients get a
 *     reference to the log line instead
 * @param replacementGraceMillis how long a call to an action that just left waits for its replacement
 * @param filteredParams params whose values are masked in the log (Actionhero's {@code filteredParams})
 */
record ProcessorSettings(int simultaneousActions, boolean disableParamScrubbing, boolean exposeErrors,
        long replacementGraceMillis, Set<String> filteredParams) {

    static ProcessorSettings defaults() {
        return new ProcessorSettings(5, false, true, 1500, Set.of("password"));
    }

    static Set<String> filtered(List<String> names) {
        return Set.copyOf(names);
    }
}
