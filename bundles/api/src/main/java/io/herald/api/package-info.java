/**
 * The API that action and middleware authors compile against.
 *
 * <p>An action is a Declarative Services component that implements {@link io.herald.api.Action} and carries an
 * {@link io.herald.api.ActionDefinition}. Herald's core gathers every such service (the whiteboard pattern) and serves
 * it over every enabled transport: HTTP, WebSocket and TCP.
 *
 * @since 1.0
 */
@org.osgi.annotation.versioning.Version("1.0.0")
package io.herald.api;
