package io.herald.api.chat;

import java.time.Instant;

/**
 * One member of a room, as {@link ChatRooms#members} lists it (Actionhero's member details).
 *
 * @param connectionId the member's connection
 * @param nodeId the node that holds it
 * @param joinedAt when it joined
 * @since 1.0
 */
public record RoomMember(String connectionId, String nodeId, Instant joinedAt) {
}
