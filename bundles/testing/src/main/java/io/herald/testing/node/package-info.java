/**
 * Node.js projects that tests run (node-resque workers, a browser driver), installed with {@code npm ci} into the
 * build directory: {@link io.herald.testing.node.NpmProject}.
 *
 * @since 1.0
 */
@org.osgi.annotation.versioning.Version("1.0.0")
package io.herald.testing.node;
