package io.herald.core.internal.cluster;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Predicate;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.herald.api.cluster.ClusterBus;
import io.herald.api.cluster.ClusterCallHandler;
import io.herald.api.cluster.ClusterException;
import io.herald.api.cluster.ClusterMember;
import io.herald.api.cluster.ClusterMessage;
import io.herald.api.cluster.ClusterReply;
import io.herald.api.spi.ClusterTransport;
import io.herald.core.internal.DescribesTransport;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cluster bus of one node, over any {@link ClusterTransport}: signing, channels, calls with correlation ids and
 * timeouts, membership with heartbeats. Written once, so the in-process and the Redis transports behave the same.
 *
 * <pre>
 *  publish/call ──▶ Envelope ──▶ EnvelopeSeal.seal ──▶ transport.send ═══▶ every node's transport
 *                                                                               │ receive
 *  subscribers, handlers, replies ◀── dispatch ◀── EnvelopeSeal.open ◀── delivery thread (one, in order)
 *                                                   └─ bad signature: dropped, logged (DropLog)
 * </pre>
 *
 * <p>Received messages are handled one at a time on one delivery thread, in arrival order; call handlers run on a
 * worker pool so a slow handler delays nothing else. A node is started once and stopped once.
 */
public final class ClusterNode implements ClusterBus, DescribesTransport {

    /** The logger of the lines operators read: members joining and leaving, dropped messages. */
    public static final String LOGGER = "io.herald.cluster";

    private static final TypeReference<Map<String, Object>> ARGS = new TypeReference<>() {
    };

    /**
     * @param nodeId this node's id (its server id)
     * @param serverToken the secret shared by the cluster's nodes
     * @param heartbeat how often this node tells the others it is alive
     * @param memberTimeout after how long without a message a node is forgotten; longer than the heartbeat
     */
    public record Settings(String nodeId, String serverToken, Duration heartbeat, Duration memberTimeout) {

        public static final Duration DEFAULT_HEARTBEAT = Duration.ofSeconds(5);
        public static final Duration DEFAULT_MEMBER_TIMEOUT = Duration.ofSeconds(15);

        public Settings {
            Objects.requireNonNull(nodeId, "nodeId");
            Objects.requireNonNull(serverToken, "serverToken");
            if (heartbeat.isNegative() || heartbeat.isZero()) {
                throw new IllegalArgumentException("the cluster heartbeat must be positive, was " + heartbeat);
            }
            if (memberTimeout.compareTo(heartbeat) <= 0) {
                throw new IllegalArgumentException("the cluster member timeout (" + memberTimeout.toMillis()
                        + " ms) must be longer than the heartbeat (" + heartbeat.toMillis() + " ms)");
            }
        }

        public static Settings of(String nodeId, String serverToken) {
            return new Settings(nodeId, serverToken, DEFAULT_HEARTBEAT, DEFAULT_MEMBER_TIMEOUT);
        }

        /** Without the token: records print every component, and this one must never reach a log line. */
        @Override
        public String toString() {
            return "Settings[nodeId=" + nodeId + ", serverToken=" + (serverToken.isEmpty() ? "(empty)" : "(set)")
                    + ", heartbeat=" + heartbeat + ", memberTimeout=" + memberTimeout + "]";
        }
    }

    private volatile Settings settings;
    private final ObjectMapper mapper;
    private volatile EnvelopeSeal seal;
    private final CallHandlers handlers;
    private final Predicate<String> holdsConnection;
    private final Logger log = LoggerFactory.getLogger(LOGGER);
    private final Instant joinedAt = Instant.now();
    /** Tells this node's own messages from those of another node misconfigured with the same id. */
    private final String instance = UUID.randomUUID().toString();
    private final Membership membership;
    private final Subscriptions subscriptions;
    private final DropLog drops;
    private final PendingCalls pending = new PendingCalls();
    private final ExecutorService delivery;
    private final ExecutorService workers;
    private final ScheduledExecutorService timer;

    private final Object lifecycle = new Object();
    private volatile ClusterTransport transport;
    private AutoCloseable receiving;
    private ScheduledFuture<?> heartbeats;
    private volatile boolean running;
    private volatile String sendFailure;
    private volatile boolean duplicateIdReported;

    /**
     * @param handlers the call handlers of this node
     * @param holdsConnection whether this node holds a client connection, by id
     */
    public ClusterNode(Settings settings, ObjectMapper mapper, CallHandlers handlers, Predicate<String> holdsConnection) {
        this.settings = settings;
        this.mapper = mapper;
        this.seal = new EnvelopeSeal(settings.serverToken(), mapper);
        this.handlers = handlers;
        this.holdsConnection = holdsConnection;
        this.membership = new Membership(settings.nodeId(), joinedAt, log);
        this.subscriptions = new Subscriptions(log);
        this.drops = new DropLog(log, System::currentTimeMillis);
        String name = "herald-cluster-" + Envelope.printable(settings.nodeId());
        this.delivery = Executors.newSingleThreadExecutor(threads(name + "-delivery"));
        int size = Math.max(4, 2 * Runtime.getRuntime().availableProcessors());
        ThreadPoolExecutor pool = new ThreadPoolExecutor(size, size, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                threads(name + "-handler"));
        pool.allowCoreThreadTimeOut(true);
        this.workers = pool;
        this.timer = Executors.newSingleThreadScheduledExecutor(threads(name + "-timer"));
    }

    /** Joins the cluster over {@code over}: starts receiving, announces this node, starts the heartbeat. */
    public void start(ClusterTransport over) {
        synchronized (lifecycle) {
            if (running) {
                throw new IllegalStateException("the cluster node " + settings.nodeId() + " is already started");
            }
            running = true;
            connect(over);
            scheduleHeartbeats();
        }
    }

    /**
     * Takes new settings while running, without leaving the cluster: messages are signed and checked with the new
     * token from now on, the heartbeat follows the new period, silent members are forgotten after the new timeout.
     * Members still on the old token are heard from again once they have the new one too.
     *
     * @throws IllegalArgumentException when {@code next} names another node: the id is fixed for a node's life
     */
    public void reconfigure(Settings next) {
        if (!next.nodeId().equals(settings.nodeId())) {
            throw new IllegalArgumentException("the cluster node " + settings.nodeId() + " cannot become " + next.nodeId());
        }
        synchronized (lifecycle) {
            Settings previous = settings;
            if (!next.serverToken().equals(previous.serverToken())) {
                seal = new EnvelopeSeal(next.serverToken(), mapper);
                log.info("cluster bus of {} signs with a new serverToken", next.nodeId());
            }
            settings = next;
            if (!next.heartbeat().equals(previous.heartbeat()) && running) {
                heartbeats.cancel(false);
                scheduleHeartbeats();
            }
        }
    }

    private void scheduleHeartbeats() {
        long every = settings.heartbeat().toMillis();
        heartbeats = timer.scheduleWithFixedDelay(this::heartbeat, every, every, TimeUnit.MILLISECONDS);
    }

    /**
     * Moves this node to another transport (a higher-ranked one appeared, or the one in use went away): leaves over the
     * old one, joins over the new one. The other nodes are forgotten and heard from again over the new transport.
     */
    public void switchTransport(ClusterTransport to) {
        synchronized (lifecycle) {
            ClusterTransport from = transport;
            if (!running || to == from) {
                return;
            }
            log.info("cluster bus of {} moves from {} to {}", settings.nodeId(), describe(from), describe(to));
            disconnect();
            membership.forgetOthers();
            connect(to);
        }
    }

    /** Announces leaving, stops receiving, and ends every pending call (with the replies received so far). */
    public void stop() {
        synchronized (lifecycle) {
            if (!running) {
                return;
            }
            running = false;
            disconnect();
        }
        log.info("member {} left the cluster", settings.nodeId());
        timer.shutdownNow();
        delivery.shutdownNow();
        workers.shutdownNow();
        pending.abortAll();
    }

    /** The transport in use, or null before start. */
    public ClusterTransport transport() {
        return transport;
    }

    @Override
    public String transportDescription() {
        ClusterTransport current = transport;
        return current == null ? "none" : describe(current);
    }

    /** How many received messages were dropped (bad signature, not an envelope) since this node started. */
    public long droppedMessages() {
        return drops.count();
    }

    /** Why the last message could not be sent, or empty when the last send worked. */
    public Optional<String> sendFailure() {
        return Optional.ofNullable(sendFailure);
    }

    @Override
    public String nodeId() {
        return settings.nodeId();
    }

    @Override
    public void publish(String channel, Object message) {
        Objects.requireNonNull(channel, "channel");
        requireRunning();
        JsonNode payload = Json.tree(mapper, message, "the message");
        send(envelope(Envelope.Type.PUBLISH, newId(), channel, null, null, null, payload, null));
    }

    @Override
    public Subscription subscribe(String channel, Consumer<ClusterMessage> listener) {
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(listener, "listener");
        return subscriptions.add(channel, listener);
    }

    @Override
    public CompletionStage<List<ClusterReply>> callAll(String method, Map<String, ?> args, Duration timeout) {
        PendingCalls.AllReplies call = new PendingCalls.AllReplies(membership.ids());
        call(method, null, args, timeout, call);
        return call.result.minimalCompletionStage();
    }

    @Override
    public CompletionStage<ClusterReply> callConnectionOwner(String connectionId, String method, Map<String, ?> args,
            Duration timeout) {
        Objects.requireNonNull(connectionId, "connectionId");
        PendingCalls.OwnerReply call = new PendingCalls.OwnerReply(
                "cluster method " + method + " for connection " + connectionId + " within " + timeout.toMillis() + " ms");
        call(method, connectionId, args, timeout, call);
        return call.result.minimalCompletionStage();
    }

    private void call(String method, String connectionId, Map<String, ?> args, Duration timeout,
            PendingCalls.Pending call) {
        Objects.requireNonNull(method, "method");
        if (timeout == null || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("a cluster call needs a positive timeout, was " + timeout);
        }
        requireRunning();
        JsonNode payload = Json.tree(mapper, args == null ? Map.of() : args, "the args of cluster method " + method);
        String id = newId();
        pending.add(id, call, timeout, timer);
        try {
            send(envelope(Envelope.Type.CALL, id, null, method, connectionId, null, payload, null));
        } catch (RuntimeException e) {
            pending.remove(id);
            throw e;
        }
    }

    @Override
    public List<ClusterMember> members() {
        return membership.members(Instant.now());
    }

    private void connect(ClusterTransport over) {
        transport = Objects.requireNonNull(over, "transport");
        try {
            receiving = over.receive(this::received);
        } catch (RuntimeException e) {
            // Keep the node up: sending may still work, and the status action shows the failure.
            log.error("cluster bus of {} cannot receive over {}", settings.nodeId(), describe(over), e);
        }
        announce(Envelope.Type.JOIN);
    }

    private void disconnect() {
        announce(Envelope.Type.LEAVE);
        if (receiving != null) {
            try {
                receiving.close();
            } catch (Exception e) {
                log.warn("cluster bus of {} could not stop receiving over {}", settings.nodeId(), describe(transport), e);
            }
            receiving = null;
        }
    }

    /** Called by the transport, possibly on its I/O thread: only queues the bytes. */
    private void received(byte[] wire) {
        try {
            delivery.execute(() -> accept(wire));
        } catch (RejectedExecutionException e) {
            // Stopped: messages still arriving are for a node that has left.
        }
    }

    private void accept(byte[] wire) {
        EnvelopeSeal.Opened opened = seal.open(wire);
        if (opened instanceof EnvelopeSeal.Rejected rejected) {
            drops.dropped(rejected.claimedSender(), rejected.reason());
            return;
        }
        Envelope envelope = ((EnvelopeSeal.Valid) opened).envelope();
        Instant now = Instant.now();
        String sender = envelope.sender();
        switch (envelope.type()) {
            case JOIN -> {
                checkDuplicateId(envelope);
                membership.joined(sender, joinedAt(envelope), now);
                if (!sender.equals(settings.nodeId())) {
                    // Answer a newcomer at once, so it knows the members before the next heartbeat.
                    announce(Envelope.Type.HEARTBEAT);
                }
            }
            case LEAVE -> {
                if (!sender.equals(settings.nodeId())) {
                    membership.left(sender);
                }
            }
            case HEARTBEAT -> {
                checkDuplicateId(envelope);
                membership.seen(sender, joinedAt(envelope), now);
            }
            case PUBLISH -> {
                membership.seen(sender, null, now);
                subscriptions.deliver(new ReceivedMessage(envelope, mapper));
            }
            case CALL -> {
                membership.seen(sender, null, now);
                String connectionId = envelope.connectionId();
                // Actionhero's doCluster with a connectionId: only the node that holds the connection runs the method.
                if (connectionId == null || holdsConnection.test(connectionId)) {
                    runQuietly(() -> answer(envelope));
                }
            }
            case REPLY -> {
                membership.seen(sender, null, now);
                if (settings.nodeId().equals(envelope.to())) {
                    pending.reply(envelope.id(), new NodeReply(sender, envelope.payload(), envelope.error(), mapper));
                }
            }
        }
    }

    private void answer(Envelope call) {
        JsonNode result = null;
        String error = null;
        Optional<ClusterCallHandler> handler = handlers.find(call.method());
        if (handler.isEmpty()) {
            error = "no handler for cluster method " + call.method() + " on node " + settings.nodeId();
        } else {
            try {
                JsonNode payload = call.payload();
                Map<String, Object> args = payload == null || payload.isNull()
                        ? new LinkedHashMap<>() : mapper.convertValue(payload, ARGS);
                result = Json.tree(mapper, handler.get().handle(args), "the result of cluster method " + call.method());
            } catch (Exception e) {
                error = e.getMessage() == null || e.getMessage().isBlank() ? e.getClass().getName() : e.getMessage();
                log.warn("cluster method {} called by {} failed on this node", call.method(), call.sender(), e);
            }
        }
        try {
            send(envelope(Envelope.Type.REPLY, call.id(), null, call.method(), null, call.sender(), result, error));
        } catch (ClusterException e) {
            log.warn("cluster bus of {} cannot reply to {}: {}", settings.nodeId(), call.sender(), e.getMessage());
        }
    }

    private void heartbeat() {
        if (!running) {
            return;
        }
        announce(Envelope.Type.HEARTBEAT);
        membership.forgetSilent(Instant.now(), settings.memberTimeout());
    }

    /** Sends a join, leave or heartbeat; a failure is not the caller's problem (the status action shows it). */
    private void announce(Envelope.Type membershipType) {
        ObjectNode payload = mapper.createObjectNode();
        payload.put("joinedAt", joinedAt.toEpochMilli());
        payload.put("instance", instance);
        try {
            send(envelope(membershipType, newId(), null, null, null, null, payload, null));
        } catch (ClusterException e) {
            // Logged once per outage by send(); membership messages are retried by the next heartbeat.
        }
    }

    private void send(Envelope envelope) {
        ClusterTransport over = transport;
        if (over == null) {
            throw new ClusterException("the cluster bus of " + settings.nodeId() + " has no transport");
        }
        byte[] wire = seal.seal(envelope);
        try {
            over.send(wire);
        } catch (RuntimeException e) {
            String failure = "cannot send over " + describe(over) + ": " + e.getMessage();
            if (sendFailure == null) {
                log.warn("cluster bus of {} {}", settings.nodeId(), failure);
            }
            sendFailure = failure;
            throw new ClusterException("the cluster bus " + failure, e);
        }
        if (sendFailure != null) {
            sendFailure = null;
            log.info("cluster bus of {} sends over {} again", settings.nodeId(), describe(over));
        }
    }

    private Envelope envelope(Envelope.Type type, String id, String channel, String method, String connectionId,
            String to, JsonNode payload, String error) {
        return new Envelope(type, settings.nodeId(), id, System.currentTimeMillis(), channel, method, connectionId, to,
                payload, error);
    }

    private void checkDuplicateId(Envelope envelope) {
        if (envelope.sender().equals(settings.nodeId()) && envelope.payload() != null
                && !instance.equals(envelope.payload().path("instance").asText(instance)) && !duplicateIdReported) {
            duplicateIdReported = true;
            log.warn("another node also uses the id {}: replies and membership mix them up; give each node its own id "
                    + "(HERALD_TITLE or the id key of io.herald.core)", settings.nodeId());
        }
    }

    private void runQuietly(Runnable task) {
        try {
            workers.execute(task);
        } catch (RejectedExecutionException e) {
            // Stopped: the caller sees no reply from this node, as from a node that is down.
        }
    }

    private void requireRunning() {
        if (!running) {
            throw new ClusterException("the cluster bus of " + settings.nodeId() + " is stopped");
        }
    }

    private static Instant joinedAt(Envelope envelope) {
        long millis = envelope.payload() == null ? 0 : envelope.payload().path("joinedAt").asLong(0);
        return millis > 0 ? Instant.ofEpochMilli(millis) : null;
    }

    private static String newId() {
        return UUID.randomUUID().toString();
    }

    private static String describe(ClusterTransport transport) {
        if (transport == null) {
            return "no transport";
        }
        try {
            return transport.describe();
        } catch (RuntimeException e) {
            return transport.getClass().getName();
        }
    }

    private static ThreadFactory threads(String name) {
        AtomicInteger count = new AtomicInteger();
        return task -> {
            Thread thread = new Thread(task, name + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
