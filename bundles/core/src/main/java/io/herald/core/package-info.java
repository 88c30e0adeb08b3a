/**
 * Runs Herald actions in-process, without OSGi: for tests (the {@code herald-testing} spec helper) and for embedding.
 * Under OSGi the core gathers actions and middleware as services instead.
 *
 * @since 1.0
 */
@org.osgi.annotation.versioning.Version("1.0.0")
package io.herald.core;
