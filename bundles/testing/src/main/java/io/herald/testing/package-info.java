/**
 * Test actions the way Actionhero's {@code specHelper} does, in plain JUnit: {@link io.herald.testing.SpecHelper} runs
 * an action through the real pipeline (middleware, inputs, error outcomes) without a server or OSGi.
 *
 * @since 1.0
 */
@org.osgi.annotation.versioning.Version("1.0.0")
package io.herald.testing;
