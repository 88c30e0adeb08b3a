/**
 * A cache shared by every node of a cluster: values with expiry, locks with an owner, and FIFO lists, as Actionhero's
 * {@code cache} module. With Redis configured the values live in Redis; on the embedded default they live in the node.
 * Either way actions, tasks and middleware use the same {@link io.herald.api.cache.Cache} service.
 *
 * @since 1.0
 */
@org.osgi.annotation.versioning.Version("1.0.0")
package io.herald.api.cache;
