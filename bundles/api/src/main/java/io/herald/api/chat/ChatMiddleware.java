package io.herald.api.chat;

import io.herald.api.Connection;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Code that runs around chat, as Actionhero's chat middleware: register it as a service with a
 * {@link io.herald.api.MiddlewareDefinition} ({@code name}, {@code priority}; chat middleware is always global). All of
 * it runs in ascending priority. A method refuses by throwing {@link ChatException}.
 *
 * @since 1.0
 */
@ConsumerType
public interface ChatMiddleware {

    /** A connection joins a room, on the node that holds it. */
    default void join(Connection connection, String room) throws ChatException {
    }

    /** A connection leaves a room, on the node that holds it. */
    default void leave(Connection connection, String room) throws ChatException {
    }

    /**
     * A message is said, on the speaker's node, before it is sent to anyone.
     *
     * @return the message to send (changed or not), or {@code null} to send nothing
     */
    default ChatMessage onSayReceive(Connection from, ChatMessage message) throws ChatException {
        return message;
    }

    /**
     * A message is about to reach one member, on the member's node.
     *
     * @return the message this member gets (changed or not), or {@code null} to give it nothing
     */
    default ChatMessage say(Connection receiver, ChatMessage message) {
        return message;
    }
}
