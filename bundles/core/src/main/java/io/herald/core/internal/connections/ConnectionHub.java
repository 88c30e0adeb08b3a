package io.herald.core.internal.connections;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import com.fasterxml.jackson.core.JsonProcessingException;

import io.herald.api.Connection;
import io.herald.api.ConnectionMiddleware;
import io.herald.api.Connections;
import io.herald.api.cache.Cache;
import io.herald.api.cache.CacheUnavailableException;
import io.herald.api.chat.ChatException;
import io.herald.api.chat.ChatMessage;
import io.herald.api.chat.ChatMiddleware;
import io.herald.api.chat.ChatRooms;
import io.herald.api.chat.RoomMember;
import io.herald.api.cluster.ClusterBus;
import io.herald.api.cluster.ClusterException;
import io.herald.api.cluster.ClusterMessage;
import io.herald.api.cluster.ClusterReply;
import io.herald.api.cluster.ClusterTimeoutException;
import io.herald.api.spi.ConnectionRegistry;
import io.herald.api.spi.HeraldError;
import io.herald.api.spi.Messages;
import io.herald.api.spi.LocalConnections;
import io.herald.api.spi.TransportConnection;
import io.herald.core.json.HeraldJson;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connections this node holds and the chat rooms of the cluster (Actionhero's {@code connections} and
 * {@code chatRoom}). Rooms are keys in the cache (Redis when configured, so every node sees them); a room's members
 * are known by the nodes that hold them, each for its own connections, so a node that dies takes only its own members
 * with it. Operations on a connection of another node go to its owner through the cluster bus
 * ({@code callConnectionOwner}); a message said in a room is published on the bus and each node delivers it to its
 * own members.
 */
public final class ConnectionHub implements ConnectionRegistry, Connections, LocalConnections, ChatRooms {

    private static final Logger LOG = LoggerFactory.getLogger(ConnectionHub.class);

    /** The bus channel chat messages travel on. */
    public static final String CHAT_CHANNEL = "herald.chat";
    static final String ROOM_KEY_PREFIX = "herald:chatRoom:";
    /** The largest message said in a room, as JSON. */
    static final int MAX_MESSAGE_BYTES = 64 * 1024;
    static final Duration CALL_TIMEOUT = Duration.ofSeconds(5);

    private final Map<String, TransportConnection> local = new ConcurrentHashMap<>();
    /** room → connection id → when it joined (epoch ms), for this node's connections only. */
    private final Map<String, Map<String, Long>> members = new ConcurrentHashMap<>();
    private final PriorityList<ConnectionMiddleware> connectionMiddleware = new PriorityList<>();
    private final PriorityList<ChatMiddleware> chatMiddleware = new PriorityList<>();
    private final Supplier<ClusterBus> bus;
    private final Supplier<Cache> cache;
    private final Supplier<Messages> messages;

    /** A hub wording its refusals with the default catalogue. */
    public ConnectionHub(Supplier<ClusterBus> bus, Supplier<Cache> cache) {
        this(bus, cache, Messages::defaults);
    }

    /** @param messages the core's catalogue, or a supplier of {@code null} for the default wording */
    public ConnectionHub(Supplier<ClusterBus> bus, Supplier<Cache> cache, Supplier<Messages> messages) {
        this.messages = messages;
        this.bus = () -> {
            ClusterBus current = bus.get();
            if (current == null) {
                throw new ClusterException("the cluster bus is not running on this node");
            }
            return current;
        };
        this.cache = () -> {
            Cache current = cache.get();
            if (current == null) {
                throw new CacheUnavailableException("no cache runs on this node: chat rooms cannot be kept", null);
            }
            return current;
        };
    }

    public void addConnectionMiddleware(ConnectionMiddleware m, Map<String, ?> properties, long order) {
        connectionMiddleware.add(m, properties, order);
    }

    public void removeConnectionMiddleware(ConnectionMiddleware m) {
        connectionMiddleware.remove(m);
    }

    public void addChatMiddleware(ChatMiddleware m, Map<String, ?> properties, long order) {
        chatMiddleware.add(m, properties, order);
    }

    public void removeChatMiddleware(ChatMiddleware m) {
        chatMiddleware.remove(m);
    }

    // ---- ConnectionRegistry and LocalConnections

    @Override
    public void opened(TransportConnection connection) throws Exception {
        for (ConnectionMiddleware m : connectionMiddleware.all()) {
            m.create(connection);
        }
        local.put(connection.id(), connection);
    }

    @Override
    public void closed(TransportConnection connection) {
        if (local.remove(connection.id(), connection)) {
            for (String room : List.copyOf(connection.rooms())) {
                leaveClosing(connection, room);
            }
            for (ConnectionMiddleware m : connectionMiddleware.all()) {
                try {
                    m.destroy(connection);
                } catch (Exception | LinkageError e) {
                    LOG.warn("connection middleware {} failed on the close of {}: {}", m.getClass().getName(),
                            connection.id(), e.toString());
                }
            }
        }
    }

    @Override
    public boolean holds(String connectionId) {
        return local.containsKey(connectionId);
    }

    // ---- Connections

    @Override
    public Optional<Connection> local(String connectionId) {
        return Optional.ofNullable(local.get(connectionId));
    }

    @Override
    public Collection<Connection> local() {
        return List.copyOf(local.values());
    }

    @Override
    public CompletionStage<Boolean> send(String connectionId, Object message) {
        TransportConnection here = local.get(connectionId);
        if (here != null) {
            return CompletableFuture.completedFuture(here.send(message));
        }
        return atOwner(connectionId, ConnectionCalls.SEND, Map.of("connectionId", connectionId, "message", message))
                .thenApply(reply -> reply != null && !reply.isError() && Boolean.TRUE.equals(reply.result(Boolean.class)));
    }

    @Override
    public CompletionStage<Boolean> kick(String connectionId, String reason) {
        TransportConnection here = local.get(connectionId);
        if (here != null) {
            here.channel().close(reason);
            return CompletableFuture.completedFuture(true);
        }
        return atOwner(connectionId, ConnectionCalls.KICK, Map.of("connectionId", connectionId, "reason", reason))
                .thenApply(reply -> reply != null && !reply.isError() && Boolean.TRUE.equals(reply.result(Boolean.class)));
    }

    /** The owner's reply, or {@code null} when no node answered (nobody holds the connection). */
    private CompletionStage<ClusterReply> atOwner(String connectionId, String method, Map<String, ?> args) {
        return bus.get().callConnectionOwner(connectionId, method, args, CALL_TIMEOUT)
                .exceptionally(e -> {
                    if (unwrap(e) instanceof ClusterTimeoutException) {
                        return null;
                    }
                    throw e instanceof CompletionException c ? c : new CompletionException(e);
                });
    }

    // ---- ChatRooms

    @Override
    public void create(String room) throws ChatException {
        checkName(room);
        if (exists(room)) {
            throw chat(HeraldError.ROOM_EXISTS, room);
        }
        cache.get().save(ROOM_KEY_PREFIX + room, Map.of("createdAt", System.currentTimeMillis()));
    }

    @Override
    public boolean destroy(String room) {
        boolean existed = cache.get().destroy(ROOM_KEY_PREFIX + room);
        bus.get().callAll(ConnectionCalls.DESTROY_ROOM, Map.of("room", room), CALL_TIMEOUT);
        return existed;
    }

    @Override
    public boolean exists(String room) {
        return room != null && cache.get().load(ROOM_KEY_PREFIX + room, Map.class).isPresent();
    }

    @Override
    public List<String> list() {
        List<String> rooms = new ArrayList<>();
        for (String key : cache.get().keys(ROOM_KEY_PREFIX)) {
            rooms.add(key.substring(ROOM_KEY_PREFIX.length()));
        }
        rooms.sort(null);
        return rooms;
    }

    @Override
    public CompletionStage<Void> join(String connectionId, String room) {
        return membership(connectionId, room, true);
    }

    @Override
    public CompletionStage<Void> leave(String connectionId, String room) {
        return membership(connectionId, room, false);
    }

    private CompletionStage<Void> membership(String connectionId, String room, boolean join) {
        try {
            checkName(room);
            if (join && !exists(room)) {
                throw chat(HeraldError.NO_SUCH_ROOM, room);
            }
            TransportConnection here = local.get(connectionId);
            if (here != null) {
                if (join) {
                    joinHere(here, room);
                } else {
                    leaveHere(here, room);
                }
                return CompletableFuture.completedFuture(null);
            }
        } catch (ChatException e) {
            return CompletableFuture.failedFuture(e);
        }
        return atOwner(connectionId, join ? ConnectionCalls.JOIN : ConnectionCalls.LEAVE,
                Map.of("connectionId", connectionId, "room", room)).thenApply(reply -> {
                    if (reply == null) {
                        throw new CompletionException(chat(HeraldError.NO_SUCH_CONNECTION, connectionId));
                    }
                    if (reply.isError()) {
                        throw new CompletionException(new ChatException(reply.error().orElse("refused")));
                    }
                    return null;
                });
    }

    void joinHere(TransportConnection connection, String room) throws ChatException {
        if (connection.rooms().contains(room)) {
            throw chat(HeraldError.ALREADY_IN_ROOM, room);
        }
        for (ChatMiddleware m : chatMiddleware.all()) {
            m.join(connection, room);
        }
        members.computeIfAbsent(room, r -> new ConcurrentHashMap<>()).put(connection.id(), System.currentTimeMillis());
        connection.rooms().add(room);
    }

    /** A connection asks to leave: a chat middleware may refuse. */
    void leaveHere(TransportConnection connection, String room) throws ChatException {
        if (!connection.rooms().contains(room)) {
            throw chat(HeraldError.NOT_IN_ROOM, room);
        }
        for (ChatMiddleware m : chatMiddleware.all()) {
            m.leave(connection, room);
        }
        forget(connection, room);
    }

    /** A closing connection leaves its rooms: middleware hears of it but cannot keep it in. */
    private void leaveClosing(TransportConnection connection, String room) {
        for (ChatMiddleware m : chatMiddleware.all()) {
            try {
                m.leave(connection, room);
            } catch (ChatException | RuntimeException e) {
                LOG.debug("chat middleware {} objected to {} leaving {} as it closed: {}", m.getClass().getName(),
                        connection.id(), room, e.getMessage());
            }
        }
        forget(connection, room);
    }

    private void forget(TransportConnection connection, String room) {
        connection.rooms().remove(room);
        Map<String, Long> roomMembers = members.get(room);
        if (roomMembers != null) {
            roomMembers.remove(connection.id());
            if (roomMembers.isEmpty()) {
                members.remove(room, roomMembers);
            }
        }
    }

    @Override
    public CompletionStage<Map<String, RoomMember>> members(String room) {
        return bus.get().callAll(ConnectionCalls.MEMBERS, Map.of("room", room), CALL_TIMEOUT).thenApply(replies -> {
            Map<String, RoomMember> all = new java.util.TreeMap<>();
            for (ClusterReply reply : replies) {
                if (reply.isError()) {
                    continue;
                }
                Map<?, ?> found = reply.result(Map.class);
                if (found == null) {
                    continue;
                }
                found.forEach((id, joinedAt) -> all.put(String.valueOf(id), new RoomMember(String.valueOf(id),
                        reply.nodeId(), Instant.ofEpochMilli(((Number) joinedAt).longValue()))));
            }
            return all;
        });
    }

    @Override
    public void say(Connection from, String room, Object message) throws ChatException {
        checkName(room);
        // A member's room exists (destroying a room removes its members everywhere): only the server's say, and a
        // refusal's wording, need the cache's answer, so a chat message costs no cache round trip.
        boolean member = from != null && from.rooms().contains(room);
        if (!member && !exists(room)) {
            throw chat(HeraldError.NO_SUCH_ROOM, room);
        }
        if (from != null && !member) {
            throw chat(HeraldError.NOT_IN_ROOM, room);
        }
        try {
            if (HeraldJson.mapper().writeValueAsBytes(message).length > MAX_MESSAGE_BYTES) {
                throw chat(HeraldError.CHAT_MESSAGE_TOO_LARGE, MAX_MESSAGE_BYTES);
            }
        } catch (JsonProcessingException e) {
            throw chat(HeraldError.CHAT_MESSAGE_NOT_JSON);
        }
        ChatMessage said = new ChatMessage("user", from == null ? "server" : from.id(), room, message,
                System.currentTimeMillis());
        for (ChatMiddleware m : chatMiddleware.all()) {
            said = m.onSayReceive(from, said);
            if (said == null) {
                return;
            }
        }
        bus.get().publish(CHAT_CHANNEL, said);
    }

    /** The cluster methods by which other nodes act on this node's connections, by method name. */
    public Map<String, io.herald.api.cluster.ClusterCallHandler> clusterHandlers() {
        return ConnectionCalls.handlers(this);
    }

    /** A message said on any node ({@value #CHAT_CHANNEL}): given to this node's members of its room. */
    public void deliver(ClusterMessage published) {
        ChatMessage message = published.payload(ChatMessage.class);
        Map<String, Long> roomMembers = members.get(message.room());
        if (roomMembers == null) {
            return;
        }
        for (String id : roomMembers.keySet()) {
            TransportConnection receiver = local.get(id);
            if (receiver == null) {
                continue;
            }
            ChatMessage forReceiver = message;
            for (ChatMiddleware m : chatMiddleware.all()) {
                forReceiver = forReceiver == null ? null : m.say(receiver, forReceiver);
            }
            if (forReceiver != null) {
                receiver.send(forReceiver);
            }
        }
    }

    // ---- what the cluster calls of the owner node

    boolean sendHere(String connectionId, Object message) {
        TransportConnection here = local.get(connectionId);
        return here != null && here.send(message);
    }

    boolean kickHere(String connectionId, String reason) {
        TransportConnection here = local.get(connectionId);
        if (here == null) {
            return false;
        }
        here.channel().close(reason);
        return true;
    }

    void membershipHere(String connectionId, String room, boolean join) throws ChatException {
        TransportConnection here = local.get(connectionId);
        if (here == null) {
            throw chat(HeraldError.NO_SUCH_CONNECTION, connectionId);
        }
        if (join) {
            joinHere(here, room);
        } else {
            leaveHere(here, room);
        }
    }

    Map<String, Long> membersHere(String room) {
        Map<String, Long> found = members.get(room);
        return found == null ? Map.of() : Map.copyOf(found);
    }

    void destroyHere(String room) {
        Map<String, Long> found = members.remove(room);
        if (found != null) {
            for (String id : found.keySet()) {
                TransportConnection here = local.get(id);
                if (here != null) {
                    here.rooms().remove(room);
                }
            }
        }
    }

    /** @throws ChatException for an empty or overlong name, or one with control characters */
    void checkName(String room) throws ChatException {
        if (room == null || room.isBlank()) {
            throw chat(HeraldError.ROOM_NAME_MISSING);
        }
        if (room.length() > MAX_ROOM_NAME) {
            throw chat(HeraldError.ROOM_NAME_TOO_LONG, MAX_ROOM_NAME);
        }
        for (int i = 0; i < room.length(); i++) {
            if (Character.isISOControl(room.charAt(i))) {
                throw chat(HeraldError.ROOM_NAME_CONTROL_CHARACTERS);
            }
        }
    }

    /** A refusal worded by the catalogue (the operator's wording when the core's Messages runs). */
    private ChatException chat(HeraldError error, Object... args) {
        Messages current = messages.get();
        return new ChatException((current != null ? current : Messages.defaults()).format(error, args));
    }

    private static Throwable unwrap(Throwable e) {
        while (e instanceof CompletionException && e.getCause() != null) {
            e = e.getCause();
        }
        return e;
    }
}
