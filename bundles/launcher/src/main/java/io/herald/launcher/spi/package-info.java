/**
 * What the launcher tells the bundles of a running node. Exported by the system bundle (the launcher sits on the class
 * path, outside the framework), as Apache Sling's launchpad exports its API; bundles import it optionally, since a
 * framework started by other means (a test) does not have it.
 *
 * @since 1.0
 */
@org.osgi.annotation.versioning.Version("1.0.0")
package io.herald.launcher.spi;
