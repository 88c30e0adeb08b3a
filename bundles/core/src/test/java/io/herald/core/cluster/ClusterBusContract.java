package io.herald.core.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.herald.api.cluster.ClusterBus;
import io.herald.api.cluster.ClusterException;
import io.herald.api.cluster.ClusterMember;
import io.herald.api.cluster.ClusterMessage;
import io.herald.api.cluster.ClusterReply;
import io.herald.api.cluster.ClusterTimeoutException;
import io.herald.api.spi.ClusterTransport;
import io.herald.core.internal.cluster.CallHandlers;
import io.herald.core.internal.cluster.ClusterNode;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;

/**
 * What the cluster bus must do over every {@link ClusterTransport}: the in-process loopback here, Redis pub/sub in the
 * Redis bundle (which runs this class from the core's test jar). Each test starts a few bus nodes with different ids,
 * each over its own {@link #transportFor transport}; the transports of one test must reach each other, as the nodes of
 * one cluster share one Redis.
 *
 * <p>Waits are bounded (10 s) and nothing asserts how long anything took. Timeouts given to calls only bound how long a
 * test waits for nodes that must not answer.
 */
public abstract class ClusterBusContract {

    protected static final String TOKEN = "contract-server-token";
    private static final Duration WAIT = Duration.ofSeconds(10);
    /** The timeout of a call no node may answer. */
    private static final Duration NOBODY_ANSWERS = Duration.ofMillis(500);
    /** The timeout of a call some node may not answer: the nodes that must answer have this long. */
    private static final Duration SOME_DO_NOT_ANSWER = Duration.ofSeconds(3);

    /**
     * A transport for the node {@code nodeId}. Every transport returned during one test must deliver to every other
     * one (one loopback shared by all, or one Redis channel), and to nothing of other tests.
     */
    protected abstract ClusterTransport transportFor(String nodeId);

    /** Releases a transport after its node stopped (a Redis connection, say). Nothing by default. */
    protected void release(ClusterTransport transport) {
    }

    /** A bus node under test, with what the test controls of it. */
    protected static final class Node {
        public final String id;
        public final ClusterNode bus;
        public final CallHandlers handlers;
        /** The client connections this node holds. */
        public final Set<String> connections;
        public final ControlledTransport wire;

        Node(String id, ClusterNode bus, CallHandlers handlers, Set<String> connections, ControlledTransport wire) {
            this.id = id;
            this.bus = bus;
            this.handlers = handlers;
            this.connections = connections;
            this.wire = wire;
        }
    }

    public record Point(int x, int y) {
    }

    private final ObjectMapper mapper = JsonMapper.builder().build();
    private final List<Node> nodes = new ArrayList<>();
    private final String run = UUID.randomUUID().toString().substring(0, 8);
    private final Logger clusterLog = (Logger) LoggerFactory.getLogger(ClusterNode.LOGGER);
    private final ListAppender<ILoggingEvent> logLines = new ListAppender<>();
    private Level previousLevel;
    private boolean previousAdditive;

    @BeforeEach
    void captureClusterLog() {
        previousLevel = clusterLog.getLevel();
        previousAdditive = clusterLog.isAdditive();
        logLines.start();
        clusterLog.addAppender(logLines);
        clusterLog.setLevel(Level.INFO);
        clusterLog.setAdditive(false);
    }

    @AfterEach
    void stopNodes() {
        for (Node node : nodes) {
            node.bus.stop();
            release(node.wire.delegate());
        }
        clusterLog.detachAppender(logLines);
        clusterLog.setLevel(previousLevel);
        clusterLog.setAdditive(previousAdditive);
    }

    /** Starts a node with the cluster's token; its id is {@code name} plus a suffix unique to this test. */
    protected Node startNode(String name) {
        return startNode(name, TOKEN);
    }

    protected Node startNode(String name, String serverToken) {
        String id = name + "-" + run;
        CallHandlers handlers = new CallHandlers();
        Set<String> connections = ConcurrentHashMap.newKeySet();
        ClusterNode bus = new ClusterNode(new ClusterNode.Settings(id, serverToken, Duration.ofMillis(200),
                Duration.ofSeconds(3)), mapper, handlers, connections::contains);
        ControlledTransport wire = new ControlledTransport(transportFor(id));
        bus.start(wire);
        Node node = new Node(id, bus, handlers, connections, wire);
        nodes.add(node);
        return node;
    }

    /** Starts nodes and waits until each knows all of them. */
    protected List<Node> startCluster(String... names) {
        List<Node> cluster = Arrays.stream(names).map(this::startNode).toList();
        awaitMembers(cluster, cluster);
        return cluster;
    }

    @Test
    void a_published_message_reaches_the_subscribers_of_its_channel_on_every_node_including_the_sender() {
        List<Node> cluster = startCluster("a", "b", "c");
        Map<Node, BlockingQueue<ClusterMessage>> news = new ConcurrentHashMap<>();
        for (Node node : cluster) {
            news.put(node, subscribe(node, "news"));
        }
        Node a = cluster.get(0);
        a.bus.publish("sports", "goal"); // another channel: no "news" subscriber may get it
        a.bus.publish("news", new Point(1, 2));
        for (Node node : cluster) {
            ClusterMessage message = next(news.get(node), "news on " + node.id);
            assertEquals("news", message.channel());
            assertEquals(a.id, message.senderId());
            assertEquals(new Point(1, 2), message.payload(Point.class));
            assertEquals(Map.of("x", 1, "y", 2), message.payload(Map.class));
            assertEquals("{\"x\":1,\"y\":2}", message.payloadJson());
            assertNotNull(message.sentAt());
        }
    }

    @Test
    void messages_from_one_sender_arrive_in_order() {
        List<Node> cluster = startCluster("a", "b");
        BlockingQueue<ClusterMessage> received = subscribe(cluster.get(1), "seq");
        for (int i = 0; i < 50; i++) {
            cluster.get(0).bus.publish("seq", i);
        }
        for (int i = 0; i < 50; i++) {
            assertEquals(i, next(received, "message " + i).payload(Integer.class));
        }
    }

    @Test
    void a_closed_subscription_receives_nothing_more_and_a_failing_listener_harms_no_other() {
        List<Node> cluster = startCluster("a", "b");
        Node b = cluster.get(1);
        BlockingQueue<ClusterMessage> closed = new LinkedBlockingQueue<>();
        ClusterBus.Subscription subscription = b.bus.subscribe("chan", closed::add);
        b.bus.subscribe("chan", m -> {
            throw new IllegalStateException("listener bug");
        });
        BlockingQueue<ClusterMessage> open = subscribe(b, "chan");
        subscription.close();
        subscription.close();
        cluster.get(0).bus.publish("chan", "one");
        cluster.get(0).bus.publish("chan", "two");
        assertEquals("one", next(open, "one").payload(String.class));
        assertEquals("two", next(open, "two").payload(String.class));
        // Listeners run in subscription order on one thread: the closed one would have had both by now.
        assertTrue(closed.isEmpty(), "the closed subscription got " + closed);
    }

    @Test
    void call_all_gets_one_reply_per_node_with_the_handlers_result() throws Exception {
        List<Node> cluster = startCluster("a", "b", "c");
        for (Node node : cluster) {
            node.handlers.add("whoami", args -> Map.of("node", node.id, "echo", args.get("word")));
        }
        List<ClusterReply> replies = await(cluster.get(0).bus.callAll("whoami", Map.of("word", "hi"), WAIT));
        assertEquals(ids(cluster), replies.stream().map(ClusterReply::nodeId).collect(Collectors.toSet()));
        assertEquals(3, replies.size());
        for (ClusterReply reply : replies) {
            assertFalse(reply.isError(), reply.toString());
            assertEquals(Map.of("node", reply.nodeId(), "echo", "hi"), reply.result(Map.class));
        }
    }

    @Test
    void a_failing_handler_or_a_missing_one_gives_an_error_reply() throws Exception {
        List<Node> cluster = startCluster("a", "b", "c");
        Node a = cluster.get(0);
        Node b = cluster.get(1);
        a.handlers.add("flush", args -> null);
        b.handlers.add("flush", args -> {
            throw new IllegalStateException("disk full");
        }); // c has no handler
        Map<String, ClusterReply> replies = byNode(await(a.bus.callAll("flush", Map.of(), WAIT)));
        assertEquals(3, replies.size());
        assertFalse(replies.get(a.id).isError());
        assertNull(replies.get(a.id).result(Object.class));
        assertEquals("disk full", replies.get(b.id).error().orElseThrow());
        assertThrows(IllegalStateException.class, () -> replies.get(b.id).result(Object.class));
        String missing = replies.get(cluster.get(2).id).error().orElseThrow();
        assertTrue(missing.contains("no handler for cluster method flush"), missing);
    }

    @Test
    void call_all_completes_at_the_timeout_with_the_replies_received_when_a_node_does_not_answer() throws Exception {
        List<Node> cluster = startCluster("a", "b", "c");
        CountDownLatch release = new CountDownLatch(1);
        cluster.get(0).handlers.add("slow", args -> "a");
        cluster.get(1).handlers.add("slow", args -> "b");
        cluster.get(2).handlers.add("slow", args -> release.await(1, TimeUnit.MINUTES));
        try {
            List<ClusterReply> replies = await(cluster.get(0).bus.callAll("slow", Map.of(), SOME_DO_NOT_ANSWER));
            assertEquals(Set.of(cluster.get(0).id, cluster.get(1).id),
                    replies.stream().map(ClusterReply::nodeId).collect(Collectors.toSet()),
                    "the node that did not answer is missing from the replies");
        } finally {
            release.countDown();
        }
    }

    @Test
    void a_call_for_a_connection_runs_only_on_the_node_holding_it() throws Exception {
        List<Node> cluster = startCluster("a", "b", "c");
        Node b = cluster.get(1);
        b.connections.add("conn-7");
        List<String> ranOn = new CopyOnWriteArrayList<>();
        for (Node node : cluster) {
            node.handlers.add("kick", args -> {
                ranOn.add(node.id);
                return "kicked " + args.get("connection");
            });
            node.handlers.add("barrier", args -> "ok");
        }
        ClusterReply reply = await(cluster.get(0).bus.callConnectionOwner("conn-7", "kick",
                Map.of("connection", "conn-7"), WAIT));
        assertEquals(b.id, reply.nodeId());
        assertEquals("kicked conn-7", reply.result(String.class));
        // Every node handles the kick before the later call; after its replies, no other node can still run it.
        assertEquals(3, await(cluster.get(2).bus.callAll("barrier", Map.of(), WAIT)).size());
        assertEquals(List.of(b.id), ranOn);
    }

    @Test
    void a_call_for_a_connection_reports_the_owners_handler_failure() throws Exception {
        List<Node> cluster = startCluster("a", "b");
        Node b = cluster.get(1);
        b.connections.add("conn-9");
        b.handlers.add("kick", args -> {
            throw new IllegalArgumentException("already gone");
        });
        ClusterReply reply = await(cluster.get(0).bus.callConnectionOwner("conn-9", "kick", Map.of(), WAIT));
        assertEquals(b.id, reply.nodeId());
        assertEquals("already gone", reply.error().orElseThrow());
    }

    @Test
    void a_call_for_a_connection_nobody_holds_fails_with_a_clear_timeout() {
        List<Node> cluster = startCluster("a", "b");
        for (Node node : cluster) {
            node.handlers.add("kick", args -> "kicked");
        }
        CompletionStage<ClusterReply> call = cluster.get(0).bus.callConnectionOwner("conn-gone", "kick", Map.of(),
                NOBODY_ANSWERS);
        ExecutionException failure = assertThrows(ExecutionException.class,
                () -> call.toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS));
        ClusterTimeoutException timeout = assertInstanceOf(ClusterTimeoutException.class, failure.getCause());
        assertTrue(timeout.getMessage().contains("conn-gone") && timeout.getMessage().contains("kick"),
                timeout.getMessage());
    }

    @Test
    void a_node_with_another_server_token_can_neither_publish_nor_call_and_is_logged() throws Exception {
        List<Node> cluster = startCluster("a", "b");
        Node a = cluster.get(0);
        Node b = cluster.get(1);
        List<Object> callers = new CopyOnWriteArrayList<>();
        for (Node node : cluster) {
            node.handlers.add("whoami", args -> {
                callers.add(args.get("from"));
                return node.id;
            });
        }
        BlockingQueue<ClusterMessage> news = subscribe(b, "news");
        Node intruder = startNode("intruder", "another-token");
        intruder.handlers.add("whoami", args -> intruder.id);

        intruder.bus.publish("news", "forged");
        List<ClusterReply> intruderReplies = await(intruder.bus.callAll("whoami", Map.of("from", "intruder"),
                SOME_DO_NOT_ANSWER));
        assertEquals(List.of(intruder.id), intruderReplies.stream().map(ClusterReply::nodeId).toList(),
                "only the intruder itself answers its call");

        a.bus.publish("news", "genuine");
        assertEquals("genuine", next(news, "the genuine message").payload(String.class),
                "the forged message, sent first, was not delivered");
        assertEquals(2, await(a.bus.callAll("whoami", Map.of("from", a.id), WAIT)).size());
        assertFalse(callers.contains("intruder"), "the intruder's call ran: " + callers);
        assertEquals(ids(cluster), memberIds(a));
        assertEquals(ids(cluster), memberIds(b));
        assertTrue(b.bus.droppedMessages() >= 2, "dropped " + b.bus.droppedMessages());
        awaitLogLine("dropped a cluster message claiming to come from " + intruder.id);
    }

    @Test
    void altered_or_garbage_messages_are_dropped() {
        List<Node> cluster = startCluster("a", "b");
        Node a = cluster.get(0);
        Node b = cluster.get(1);
        BlockingQueue<ClusterMessage> news = subscribe(b, "news");

        a.wire.alterOutgoing(bytes -> replace(bytes, "tamper-me", "tamper-us"));
        a.bus.publish("news", "tamper-me");
        a.wire.alterOutgoing(this::forgeSignature);
        a.bus.publish("news", "forged signature");
        a.wire.alterOutgoing(bytes -> bytes);
        a.wire.inject("not an envelope".getBytes(StandardCharsets.UTF_8));
        a.wire.inject("{\"sig\":\"AAAA\"}".getBytes(StandardCharsets.UTF_8));
        a.bus.publish("news", "after");

        assertEquals("after", next(news, "the intact message").payload(String.class),
                "the altered messages, sent first, were not delivered");
        assertTrue(b.bus.droppedMessages() >= 4, "dropped " + b.bus.droppedMessages());
        awaitLogLine("dropped a cluster message claiming to come from " + a.id);
    }

    @Test
    void members_join_and_leave_and_it_is_logged() {
        List<Node> pair = startCluster("a", "b");
        Node a = pair.get(0);
        awaitLogLine("member " + pair.get(1).id + " joined the cluster");
        Node c = startNode("c");
        List<Node> all = List.of(a, pair.get(1), c);
        awaitMembers(all, all);
        for (ClusterMember member : a.bus.members()) {
            assertFalse(member.joinedAt().isAfter(member.lastSeen()), member.toString());
        }
        assertEquals(a.id, a.bus.nodeId());

        c.bus.stop();
        awaitMembers(pair, pair);
        awaitLogLine("member " + c.id + " left the cluster");
        assertThrows(ClusterException.class, () -> c.bus.publish("news", "from a stopped node"));
    }

    @Test
    void a_node_that_vanishes_without_leaving_is_forgotten_and_seen_again_when_it_comes_back() {
        List<Node> cluster = startCluster("a", "b", "c");
        Node c = cluster.get(2);
        c.wire.cut();
        List<Node> rest = cluster.subList(0, 2);
        awaitMembers(rest, rest);
        awaitLogLine("member " + c.id + " left the cluster: nothing heard from it");
        c.wire.reconnect();
        awaitMembers(cluster, cluster);
        awaitLogLine("member " + c.id + " is in the cluster");
    }

    @Test
    void what_cannot_be_written_as_json_is_refused_before_sending() {
        Node a = startCluster("a").get(0);
        Object notJson = new Object();
        assertThrows(IllegalArgumentException.class, () -> a.bus.publish("news", notJson));
        assertThrows(IllegalArgumentException.class, () -> a.bus.callAll("m", Map.of("x", notJson), WAIT));
        assertThrows(IllegalArgumentException.class, () -> a.bus.callAll("m", Map.of(), Duration.ZERO));
    }

    // ---------------------------------------------------------------------------------------------------------------

    protected static BlockingQueue<ClusterMessage> subscribe(Node node, String channel) {
        BlockingQueue<ClusterMessage> queue = new LinkedBlockingQueue<>();
        node.bus.subscribe(channel, queue::add);
        return queue;
    }

    protected static ClusterMessage next(BlockingQueue<ClusterMessage> queue, String what) {
        try {
            ClusterMessage message = queue.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
            if (message == null) {
                throw new AssertionError("not received within " + WAIT.toSeconds() + " s: " + what);
            }
            return message;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted waiting for " + what);
        }
    }

    private static <T> T await(CompletionStage<T> stage) throws Exception {
        return stage.toCompletableFuture().get(WAIT.toSeconds() + 5, TimeUnit.SECONDS);
    }

    private static Map<String, ClusterReply> byNode(List<ClusterReply> replies) {
        return replies.stream().collect(Collectors.toMap(ClusterReply::nodeId, r -> r));
    }

    private static Set<String> ids(List<Node> nodes) {
        return nodes.stream().map(n -> n.id).collect(Collectors.toSet());
    }

    private static Set<String> memberIds(Node node) {
        return node.bus.members().stream().map(ClusterMember::id).collect(Collectors.toSet());
    }

    /** Waits until each of {@code observers} knows exactly {@code members}. */
    protected static void awaitMembers(List<Node> observers, List<Node> members) {
        Set<String> expected = ids(members);
        for (Node observer : observers) {
            awaitTrue(() -> memberIds(observer).equals(expected),
                    () -> observer.id + " knows " + expected + ", not " + memberIds(observer));
        }
    }

    private void awaitLogLine(String start) {
        awaitTrue(() -> logMessages().stream().anyMatch(line -> line.startsWith(start)),
                () -> "a log line starting with \"" + start + "\" in " + logMessages());
    }

    private List<String> logMessages() {
        synchronized (logLines) {
            return logLines.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
        }
    }

    /** Polls a condition that other threads make true, for up to 10 s. */
    protected static void awaitTrue(BooleanSupplier condition, Supplier<String> what) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not true within " + WAIT.toSeconds() + " s: " + what.get());
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for: " + what.get());
            }
        }
    }

    private static byte[] replace(byte[] bytes, String from, String to) {
        return new String(bytes, StandardCharsets.UTF_8).replace(from, to).getBytes(StandardCharsets.UTF_8);
    }

    /** Keeps the body and replaces the signature with one made by someone without the token. */
    private byte[] forgeSignature(byte[] bytes) {
        try {
            ObjectNode wire = (ObjectNode) mapper.readTree(bytes);
            wire.put("sig", Base64.getEncoder().encodeToString(new byte[32]));
            return mapper.writeValueAsBytes(wire);
        } catch (IOException e) {
            throw new AssertionError("the bus sent something that is not JSON", e);
        }
    }

}
