/**
 * What applications use of the authentication bundle: {@link io.herald.middleware.auth.Sessions} for their login and
 * logout actions. API keys and tokens need no code: actions declare {@code authenticated} or {@code roles} in their
 * {@link io.herald.api.ActionDefinition}.
 *
 * @since 1.0
 */
@org.osgi.annotation.versioning.Version("1.0.0")
package io.herald.middleware.auth;
