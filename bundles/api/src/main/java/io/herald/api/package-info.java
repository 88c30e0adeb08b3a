/**
 * The API that action and middleware authors compile against.
 *
 * <p>An action is a Declarative Services component that implements {@link io.herald.api.Action} and carries an
 * {@link io.herald.api.ActionDefinition}. Herald's core gathers every such service (the whiteboard pattern) and serves
 * it over every enabled transport: HTTP, WebSocket and TCP.
 *
 * <p>Since 1.1: request metadata ({@link io.herald.api.RequestMetadata}), the caller ({@link io.herald.api.Caller})
 * and response cookies ({@link io.herald.api.ResponseCookie}) for actions and middleware; actions declare
 * {@link io.herald.api.ActionDefinition#authenticated()} and {@link io.herald.api.ActionDefinition#roles()}, and
 * may keep the params they do not declare ({@link io.herald.api.ActionDefinition#scrubParams()}).
 *
 * <p>Since 1.2: connections that live for many calls (persistent {@link io.herald.api.Connection#params()}, rooms,
 * {@link io.herald.api.Connection#send}), the {@link io.herald.api.Connections} service and
 * {@link io.herald.api.ConnectionMiddleware}.
 *
 * <p>Since 1.3: files uploaded over HTTP reach actions as {@link io.herald.api.UploadedFile} params (input type
 * {@code file}).
 *
 * @since 1.0
 */
@org.osgi.annotation.versioning.Version("1.3.0")
package io.herald.api;
