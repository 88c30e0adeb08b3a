package io.herald.api.chat;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;

import io.herald.api.Connection;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Chat rooms across the cluster (Actionhero's {@code chatRoom}): rooms exist for every node (in Redis when it is
 * configured, in the node otherwise), members are connections held by any node, and a message said in a room reaches
 * every member wherever it is connected. Implemented by the core.
 *
 * @since 1.0
 */
@ProviderType
public interface ChatRooms {

    /** The longest room name, in characters. */
    int MAX_ROOM_NAME = 200;

    /**
     * Creates a room.
     *
     * @throws ChatException when the name is empty, too long or holds control characters, or the room exists
     */
    void create(String room) throws ChatException;

    /** Destroys a room, removing its members on every node. @return whether it existed */
    boolean destroy(String room);

    boolean exists(String room);

    /** Every room, sorted. */
    List<String> list();

    /**
     * Adds a connection, held by any node, to a room. Chat middleware's {@code join} may refuse it.
     *
     * @return completes when the owner added it; exceptionally with {@link ChatException} when the room does not
     *     exist, a middleware refused, or no node holds the connection
     */
    CompletionStage<Void> join(String connectionId, String room);

    /** Removes a connection from a room; completes exceptionally like {@link #join}. */
    CompletionStage<Void> leave(String connectionId, String room);

    /** The members of a room on every node that answered, by connection id. */
    CompletionStage<Map<String, RoomMember>> members(String room);

    /**
     * Says {@code message} in a room as {@code from}: chat middleware's {@code onSayReceive} may change or stop it,
     * then every member on every node gets it (each through {@code say}, which may change or stop it per receiver).
     *
     * @param from the connection that speaks; it must be in the room. {@code null} for the server itself
     * @throws ChatException when the room does not exist, {@code from} is not in it, the message is too large, or a
     *     middleware refused it
     */
    void say(Connection from, String room, Object message) throws ChatException;
}
