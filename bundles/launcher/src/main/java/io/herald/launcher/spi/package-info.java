/**
 * What the launcher tells the bundles of a running node, and the commands of {@code bin/herald} they provide. Exported
 * by the system bundle (the launcher sits on the class path, outside the framework), as Apache Sling's launchpad
 * exports its API; bundles import it optionally, since a framework started by other means (a test) does not have it.
 *
 * @since 1.0 ({@link io.herald.launcher.spi.Command} since 1.1)
 */
@org.osgi.annotation.versioning.Version("1.1.0")
package io.herald.launcher.spi;
