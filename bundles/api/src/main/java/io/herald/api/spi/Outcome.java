package io.herald.api.spi;

/**
 * How a call ended: Actionhero's action statuses.
 *
 * @since 1.0
 */
public enum Outcome {
    COMPLETE,
    GENERIC_ERROR,
    SERVER_SHUTTING_DOWN,
    TOO_MANY_PENDING_ACTIONS,
    UNKNOWN_ACTION,
    UNSUPPORTED_CONNECTION_TYPE,
    MISSING_PARAMS,
    INVALID_PARAMS,
    /** The action names middleware that is not running. */
    MIDDLEWARE_UNAVAILABLE,
    /** Refused for want of valid credentials, or because no authentication runs. @since 1.4 */
    UNAUTHENTICATED,
    /** Refused for want of a role. @since 1.4 */
    FORBIDDEN
}
