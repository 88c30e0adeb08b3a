/**
 * Chat rooms across the cluster, as Actionhero's {@code chatRoom}: {@link io.herald.api.chat.ChatRooms} (a service of
 * the core) and {@link io.herald.api.chat.ChatMiddleware}.
 *
 * @since 1.0
 */
@org.osgi.annotation.versioning.Version("1.0.0")
package io.herald.api.chat;
