package io.herald.api.spi;

/**
 * The catalogue of user-facing errors: each with its status and its default message. {@code {0}}, {@code {1}} in a
 * message stand for the arguments given to {@link Messages#format}. The core lets operators reword any message by
 * configuration (PID {@code io.herald.errors}, key = the constant's name), as Actionhero's {@code config/errors.ts}.
 *
 * @since 1.0
 */
public enum HeraldError {
    // Action outcomes. Wording matches Actionhero's config/errors.ts so existing clients keep working.
    UNKNOWN_ACTION(404, "unknown action or invalid apiVersion"),
    MISSING_PARAMS(422, "{0} is a required parameter for this action"),
    INVALID_PARAM(422, "Input for parameter \"{0}\" failed validation!"),
    /** A validator rejected a param with its own message ({0}), returned or thrown. */
    PARAM_REJECTED(422, "{0}"),
    /** A formatter threw. Actionhero answers 500 here; a bad value is the client's error, so Herald answers 422. */
    UNFORMATTABLE_PARAM(422, "Input for parameter \"{0}\" is invalid: {1}"),
    UNSUPPORTED_CONNECTION_TYPE(403, "this action does not support the {0} connection type"),
    TOO_MANY_PENDING_ACTIONS(429, "you have too many pending requests"),
    SERVER_SHUTTING_DOWN(503, "the server is shutting down"),
    /** An action names middleware that is not running: it must not run without it (an authentication check, say). */
    MIDDLEWARE_UNAVAILABLE(503, "this action is unavailable: its middleware {0} is not running"),
    /** A protected action called without credentials. @since 1.4 */
    AUTHENTICATION_REQUIRED(401, "this action requires authentication"),
    /** Credentials that are unknown, expired, malformed or wrongly signed; never says which. @since 1.4 */
    INVALID_CREDENTIALS(401, "invalid credentials"),
    /** An authenticated caller without a role the action requires; {0} names the roles. @since 1.4 */
    ROLE_REQUIRED(403, "this action requires the role {0}"),
    /** A protected action while no authentication runs on the node: refused, never run anonymously. @since 1.4 */
    AUTHENTICATION_UNAVAILABLE(503, "this action requires authentication, which is not running on this node"),
    /** Too many failed authentications from one address; {0} is the seconds to wait. @since 1.4 */
    TOO_MANY_FAILED_AUTHENTICATIONS(429, "too many failed authentications: try again in {0} seconds"),
    /** More params than the node accepts; {0} is the limit. @since 1.4 */
    TOO_MANY_PARAMS(422, "too many params: at most {0} are accepted"),
    /** A param whose strings (keys of nested objects included) hold more than {1} bytes; {0} names it. @since 1.4 */
    PARAM_TOO_LONG(422, "{0} is too long: at most {1} bytes are accepted"),
    /** A param whose value nests objects or lists more than {1} levels deep; {0} names it. @since 1.4 */
    PARAM_TOO_DEEP(422, "{0} is nested too deeply: at most {1} levels are accepted"),
    /** An action failed with an unexpected exception; {0} is a reference to find it in the log. */
    INTERNAL_ERROR(500, "internal error (reference {0})"),

    // Transport errors: the request never reached an action.
    MALFORMED_BODY(400, "malformed request body: {0}"),
    BODY_TOO_LARGE(413, "request body is larger than the limit of {0} bytes"),
    MALFORMED_REQUEST(400, "malformed request: {0}"),
    UNSUPPORTED_MEDIA_TYPE(415, "unsupported content type: {0}"),
    METHOD_NOT_ALLOWED(405, "method {0} is not allowed here"),
    NOT_FOUND(404, "nothing is served at {0}"),
    /** An uploaded file larger than the per-file limit ({0} bytes); the request is refused whole. @since 1.6 */
    FILE_TOO_LARGE(413, "an uploaded file is larger than the limit of {0} bytes"),
    /** A query string longer than the limit ({0} bytes). @since 1.6 */
    QUERY_TOO_LONG(414, "the query string is longer than the limit of {0} bytes"),
    /** A CORS preflight from an origin the server does not allow ({0}). @since 1.6 */
    ORIGIN_NOT_ALLOWED(403, "origin {0} is not allowed"),

    // Errors of the stateful transports (TCP, WebSocket): one message of a connection that lives for many.
    /** A message that is not valid UTF-8, not a JSON object, or a verb without what it needs; {0} says what. @since 1.5 */
    MALFORMED_MESSAGE(400, "malformed message: {0}"),
    /** A message longer than the transport's limit, in bytes ({0}); the connection is closed. @since 1.5 */
    MESSAGE_TOO_LONG(413, "message is longer than the limit of {0} bytes"),
    /** More messages in a second than the transport accepts ({0}). @since 1.5 */
    TOO_MANY_MESSAGES(429, "too many messages: at most {0} per second are accepted"),
    /** The node holds as many connections of the transport as it accepts ({0}). @since 1.5 */
    TOO_MANY_CONNECTIONS(503, "too many connections: at most {0} are accepted, try again later"),
    /** A connection closed after {0} ms without a message from its client. @since 1.5 */
    IDLE_TIMEOUT(408, "closed after {0} ms without a message"),
    /** A client that does not read its messages: more than {0} waited for it. @since 1.5 */
    SLOW_CONSUMER(503, "closed: more than {0} messages waited for the client to read them"),
    /** A chat verb on a node where no chat service runs. @since 1.5 */
    CHAT_UNAVAILABLE(503, "chat is not available on this node"),
    /** A room verb for a room the connection is not in; {0} is the room. @since 1.5 */
    NOT_IN_ROOM(403, "you are not in room {0}"),

    // Chat rooms (the core's ChatRooms): the words of every ChatException.
    /** @since 1.5 */
    ROOM_EXISTS(409, "room {0} exists"),
    /** @since 1.5 */
    NO_SUCH_ROOM(404, "room {0} does not exist"),
    /** @since 1.5 */
    ROOM_NAME_MISSING(422, "a room needs a name"),
    /** {0} is the longest name. @since 1.5 */
    ROOM_NAME_TOO_LONG(422, "a room name may have at most {0} characters"),
    /** @since 1.5 */
    ROOM_NAME_CONTROL_CHARACTERS(422, "a room name may not hold control characters"),
    /** {0} is the room. @since 1.5 */
    ALREADY_IN_ROOM(409, "you are already in room {0}"),
    /** {0} is the largest message, in bytes of JSON. @since 1.5 */
    CHAT_MESSAGE_TOO_LARGE(413, "a message may have at most {0} bytes as JSON"),
    /** @since 1.5 */
    CHAT_MESSAGE_NOT_JSON(422, "the message cannot be written as JSON"),
    /** {0} is the connection id. @since 1.5 */
    NO_SUCH_CONNECTION(404, "no node holds connection {0}");

    private final int status;
    private final String defaultMessage;

    HeraldError(int status, String defaultMessage) {
        this.status = status;
        this.defaultMessage = defaultMessage;
    }

    public int status() {
        return status;
    }

    public String defaultMessage() {
        return defaultMessage;
    }
}
