package io.herald.core.internal.connections;

import java.util.Map;

import io.herald.api.cluster.ClusterCallHandler;
import io.herald.api.cluster.ClusterMethod;

/**
 * The cluster methods by which one node acts on the connections of another (Actionhero's {@code doCluster} with a
 * connection id), each served by the {@link ConnectionHub} of the node that answers.
 */
final class ConnectionCalls {

    static final String SEND = "herald.connections.send";
    static final String KICK = "herald.connections.kick";
    static final String JOIN = "herald.chat.join";
    static final String LEAVE = "herald.chat.leave";
    static final String MEMBERS = "herald.chat.members";
    static final String DESTROY_ROOM = "herald.chat.destroy";

    private ConnectionCalls() {
    }

    /** The handler of each method, by method name (the value of {@value ClusterMethod#PROPERTY}). */
    static Map<String, ClusterCallHandler> handlers(ConnectionHub hub) {
        return Map.of(
                SEND, args -> hub.sendHere(text(args, "connectionId"), args.get("message")),
                KICK, args -> hub.kickHere(text(args, "connectionId"), text(args, "reason")),
                JOIN, args -> {
                    hub.membershipHere(text(args, "connectionId"), text(args, "room"), true);
                    return true;
                },
                LEAVE, args -> {
                    hub.membershipHere(text(args, "connectionId"), text(args, "room"), false);
                    return true;
                },
                MEMBERS, args -> hub.membersHere(text(args, "room")),
                DESTROY_ROOM, args -> {
                    hub.destroyHere(text(args, "room"));
                    return true;
                });
    }

    private static String text(Map<String, Object> args, String key) {
        Object value = args.get(key);
        if (!(value instanceof String s)) {
            throw new IllegalArgumentException(key + " is missing");
        }
        return s;
    }
}
