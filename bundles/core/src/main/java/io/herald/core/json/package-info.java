/**
 * Herald's one JSON setup on Jackson, shared by every bundle: the same Java time, {@code Optional} and record
 * support, the same limits and the same client-readable error wording on every transport, in the task queue, the
 * cache and the cluster bus.
 *
 * @since 1.0
 */
@org.osgi.annotation.versioning.Version("1.1.0")
package io.herald.core.json;
