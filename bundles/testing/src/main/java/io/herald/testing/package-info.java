/**
 * Test actions the way Actionhero's {@code specHelper} does, in plain JUnit: {@link io.herald.testing.SpecHelper} runs
 * an action through the real pipeline (middleware, inputs, error outcomes) without a server or OSGi.
 *
 * <p>Since 1.1: protected actions run as a caller ({@code runActionAs}), with request metadata, or with a real
 * authenticator.
 *
 * @since 1.0
 */
@org.osgi.annotation.versioning.Version("1.1.0")
package io.herald.testing;
