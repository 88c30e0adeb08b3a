/**
 * Runs Herald actions in-process, without OSGi: for tests (the {@code herald-testing} spec helper) and for embedding.
 * Under OSGi the core gathers actions and middleware as services instead.
 *
 * <p>Since 1.1: the pipeline takes an authenticator and a redactor; {@link io.herald.core.ConnectionVerbs}, the answers
 * to the protocol-independent verbs of the stateful transports.
 *
 * <p>Since 1.2: {@link io.herald.core.LogText}, client text made safe for a log line.
 *
 * <p>Since 1.3: {@link io.herald.core.RequestIds}, the rule for a client's {@code X-Request-Id}.
 *
 * @since 1.0
 */
@org.osgi.annotation.versioning.Version("1.4.0")
package io.herald.core;
