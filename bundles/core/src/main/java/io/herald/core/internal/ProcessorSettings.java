package io.herald.core.internal;


/**
 * How the action processor behaves; from the {@code io.herald.core} configuration.
 *
 * @param simultaneousActions calls one connection may have pending; more get {@code too many pending requests}
 *     (Actionhero's {@code simultaneousActions}, default 5)
 * @param disableParamScrubbing keep params the action does not declare (Actionhero's {@code disableParamScrubbing})
 * @param exposeErrors show the message of unexpected exceptions to clients; off in production, where clients get a
 *     reference to the log line instead
 * @param replacementGraceMillis how long a call to an action that just left waits for its replacement
 */
public record ProcessorSettings(int simultaneousActions, boolean disableParamScrubbing, boolean exposeErrors,
        long replacementGraceMillis) {

    /** @throws IllegalArgumentException when {@code simultaneousActions} is below 1 */
    public ProcessorSettings {
        if (simultaneousActions < 1) {
            throw new IllegalArgumentException("simultaneousActions must be at least 1, was " + simultaneousActions);
        }
        replacementGraceMillis = Math.max(0, replacementGraceMillis);
    }

    public static ProcessorSettings defaults() {
        return new ProcessorSettings(5, false, true, 1500);
    }
}
