package io.herald.core.internal.connections;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import io.herald.api.Connection;
import io.herald.api.ConnectionMiddleware;
import io.herald.api.RequestMetadata;
import io.herald.api.cache.Cache;
import io.herald.api.chat.ChatException;
import io.herald.api.chat.ChatMessage;
import io.herald.api.chat.ChatMiddleware;
import io.herald.api.chat.RoomMember;
import io.herald.api.cluster.ClusterBus;
import io.herald.api.spi.ClientChannel;
import io.herald.api.spi.TransportConnection;
import io.herald.core.internal.cache.LocalCache;
import io.herald.core.internal.cluster.CallHandlers;
import io.herald.core.internal.cluster.ClusterNode;
import io.herald.core.internal.cluster.LoopbackTransport;
import io.herald.core.json.HeraldJson;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Connections and chat rooms across two nodes of a real cluster bus (the in-process loopback transport of the embedded
 * default) sharing one cache, as two nodes share Redis: members on both nodes hear each other, one node acts on the
 * other's connections, middleware refuses and rewrites, and bad names and sizes are refused.
 */
class ConnectionHubTest {

    private static final Map<String, Object> FIRST = Map.of("herald.middleware.priority", 1, "service.id", 1L);

    /** A transport's end of a connection: what the client was sent, and why it was closed. */
    static final class Client implements ClientChannel {
        final BlockingQueue<Object> received = new LinkedBlockingQueue<>();
        volatile String closedFor;

        @Override
        public boolean send(Object message) {
            return closedFor == null && received.add(message);
        }

        @Override
        public void close(String reason) {
            closedFor = reason;
        }

        Object next() throws InterruptedException {
            Object message = received.poll(5, TimeUnit.SECONDS);
            if (message == null) {
                throw new AssertionError("no message within 5 s");
            }
            return message;
        }
    }

    private record Node(ConnectionHub hub, ClusterNode bus) {
    }

    private final LoopbackTransport loopback = new LoopbackTransport();
    private final LocalCache.Store shared = new LocalCache.Store(System::currentTimeMillis);
    private final List<Node> nodes = new ArrayList<>();

    private Node node(String id) {
        AtomicReference<ClusterBus> bus = new AtomicReference<>();
        Cache cache = new LocalCache(shared, id, HeraldJson.mapper());
        ConnectionHub hub = new ConnectionHub(bus::get, () -> cache);
        CallHandlers handlers = new CallHandlers();
        ConnectionCalls.handlers(hub).forEach(handlers::add);
        ClusterNode clusterNode = new ClusterNode(new ClusterNode.Settings(id, "hub-test-token", Duration.ofMillis(100),
                Duration.ofSeconds(3)), HeraldJson.mapper(), handlers, hub::holds);
        bus.set(clusterNode);
        clusterNode.start(loopback);
        clusterNode.subscribe(ConnectionHub.CHAT_CHANNEL, hub::deliver);
        Node node = new Node(hub, clusterNode);
        nodes.add(node);
        return node;
    }

    private static void awaitMembers(Node... all) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        for (Node node : all) {
            while (node.bus().members().size() < all.length) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("the nodes did not meet: " + node.bus().members());
                }
                Thread.sleep(20);
            }
        }
    }

    private static TransportConnection open(Node node, String id, Client client) throws Exception {
        TransportConnection connection = TransportConnection.stateful(id, Connection.WEBSOCKET, "127.0.0.1", 1, id,
                client, RequestMetadata.none());
        node.hub().opened(connection);
        return connection;
    }

    @AfterEach
    void stop() {
        nodes.forEach(n -> n.bus().stop());
    }

    @Test
    void members_on_two_nodes_hear_each_other_and_the_room_lists_them_with_their_nodes() throws Exception {
        Node a = node("node-a");
        Node b = node("node-b");
        awaitMembers(a, b);
        Client ann = new Client();
        Client bob = new Client();
        TransportConnection annConnection = open(a, "ann", ann);
        open(b, "bob", bob);

        a.hub().create("lobby");
        assertTrue(b.hub().exists("lobby"), "rooms are shared");
        assertEquals(List.of("lobby"), b.hub().list());
        a.hub().join("ann", "lobby").toCompletableFuture().get(5, TimeUnit.SECONDS);
        a.hub().join("bob", "lobby").toCompletableFuture().get(5, TimeUnit.SECONDS); // bob is on node b: through the bus

        Map<String, RoomMember> members = b.hub().members("lobby").toCompletableFuture().get(5, TimeUnit.SECONDS);
        assertEquals(Set.of("ann", "bob"), members.keySet());
        assertEquals("node-a", members.get("ann").nodeId());
        assertEquals("node-b", members.get("bob").nodeId());

        a.hub().say(annConnection, "lobby", "hello");
        for (Client client : List.of(ann, bob)) {
            ChatMessage message = (ChatMessage) client.next();
            assertEquals(new ChatMessage("user", "ann", "lobby", "hello", message.sentAt()), message);
        }
        assertEquals(Map.of("context", "user", "from", "ann", "room", "lobby", "message", "hello", "sentAt",
                ((ChatMessage) new ChatMessage("user", "ann", "lobby", "hello", 5)).sentAt()),
                HeraldJson.plain(new ChatMessage("user", "ann", "lobby", "hello", 5)), "Actionhero's chat message shape");
    }

    @Test
    void a_node_sends_to_and_kicks_a_connection_of_another() throws Exception {
        Node a = node("node-a");
        Node b = node("node-b");
        awaitMembers(a, b);
        Client ann = new Client();
        open(a, "ann", ann);
        assertTrue(b.hub().send("ann", Map.of("alert", "hi")).toCompletableFuture().get(5, TimeUnit.SECONDS));
        assertEquals(Map.of("alert", "hi"), ann.next());
        assertTrue(b.hub().kick("ann", "kicked by an admin").toCompletableFuture().get(5, TimeUnit.SECONDS));
        assertEquals("kicked by an admin", ann.closedFor);
        assertFalse(b.hub().send("nobody", Map.of()).toCompletableFuture().get(10, TimeUnit.SECONDS),
                "no node holds it");
    }

    @Test
    void middleware_refuses_a_connection_and_a_join_and_rewrites_and_drops_messages() throws Exception {
        Node a = node("node-a");
        List<String> destroyed = new ArrayList<>();
        a.hub().addConnectionMiddleware(new ConnectionMiddleware() {
            @Override
            public void create(Connection connection) {
                if (connection.id().startsWith("banned")) {
                    throw new IllegalStateException("you are banned");
                }
            }

            @Override
            public void destroy(Connection connection) {
                destroyed.add(connection.id());
            }
        }, FIRST, 1);
        assertEquals("you are banned", assertThrows(IllegalStateException.class,
                () -> open(a, "banned-1", new Client())).getMessage());
        assertFalse(a.hub().holds("banned-1"));

        a.hub().addChatMiddleware(new ChatMiddleware() {
            @Override
            public void join(Connection connection, String room) throws ChatException {
                if (room.equals("vip") && !connection.id().equals("ann")) {
                    throw new ChatException("vip only");
                }
            }

            @Override
            public ChatMessage onSayReceive(Connection from, ChatMessage message) {
                return message.message().equals("drop me") ? null : message.withMessage(message.message() + "!");
            }

            @Override
            public ChatMessage say(Connection receiver, ChatMessage message) {
                return receiver.id().equals("carl") ? null : message;
            }
        }, FIRST, 2);
        Client ann = new Client();
        Client carl = new Client();
        TransportConnection annConnection = open(a, "ann", ann);
        TransportConnection carlConnection = open(a, "carl", carl);
        a.hub().create("vip");
        a.hub().join("ann", "vip").toCompletableFuture().get();
        ExecutionException refused = assertThrows(ExecutionException.class,
                () -> a.hub().join("carl", "vip").toCompletableFuture().get());
        assertInstanceOf(ChatException.class, refused.getCause());
        assertEquals("vip only", refused.getCause().getMessage());

        a.hub().create("hall");
        a.hub().join("ann", "hall").toCompletableFuture().get();
        a.hub().join("carl", "hall").toCompletableFuture().get();
        a.hub().say(annConnection, "hall", "drop me");
        a.hub().say(annConnection, "hall", "hi");
        assertEquals("hi!", ((ChatMessage) ann.next()).message(), "changed before it was sent, the dropped one never came");
        assertNull(carl.received.poll(300, TimeUnit.MILLISECONDS), "dropped for this receiver");

        a.hub().closed(carlConnection);
        assertEquals(List.of("carl"), destroyed);
        assertEquals(Set.of("ann"), a.hub().members("hall").toCompletableFuture().get().keySet(), "a closed connection left");
    }

    @Test
    void bad_names_sizes_and_speakers_are_refused_with_a_clear_reason() throws Exception {
        Node a = node("node-a");
        Client ann = new Client();
        TransportConnection annConnection = open(a, "ann", ann);
        assertEquals("a room name may have at most 200 characters",
                assertThrows(ChatException.class, () -> a.hub().create("r".repeat(100_000))).getMessage());
        assertEquals("a room name may not hold control characters",
                assertThrows(ChatException.class, () -> a.hub().create("a\nb")).getMessage());
        a.hub().create("room");
        assertEquals("room room exists", assertThrows(ChatException.class, () -> a.hub().create("room")).getMessage());
        assertEquals("you are not in room room",
                assertThrows(ChatException.class, () -> a.hub().say(annConnection, "room", "hi")).getMessage());
        assertEquals("room nowhere does not exist",
                assertThrows(ChatException.class, () -> a.hub().say(annConnection, "nowhere", "hi")).getMessage());
        a.hub().join("ann", "room").toCompletableFuture().get();
        assertEquals("a message may have at most 65536 bytes as JSON", assertThrows(ChatException.class,
                () -> a.hub().say(annConnection, "room", "x".repeat(70_000))).getMessage());
        ExecutionException unknown = assertThrows(ExecutionException.class,
                () -> a.hub().join("ann", "nowhere").toCompletableFuture().get());
        assertEquals("room nowhere does not exist", unknown.getCause().getMessage());

        assertTrue(a.hub().destroy("room"));
        assertFalse(a.hub().exists("room"));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!annConnection.rooms().isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertEquals(Set.of(), annConnection.rooms(), "a destroyed room loses its members");
    }
}
