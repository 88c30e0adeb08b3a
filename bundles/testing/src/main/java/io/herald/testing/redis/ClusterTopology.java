package io.herald.testing.redis;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.herald.testing.redis.internal.Await;
import io.herald.testing.redis.internal.LastResort;
import io.herald.testing.redis.internal.RedisBinaries;
import io.herald.testing.redis.internal.TempDirs;

/**
 * A Redis Cluster on 127.0.0.1: six nodes, three masters and three replicas, created with
 * {@code redis-cli --cluster create ... --cluster-replicas 1}, on free ports (each with its cluster bus on port +
 * 10000) in one temporary directory, without persistence. Clients start from {@link #seedNodes()}, as Jedis'
 * {@code RedisClusterClient} does.
 *
 * <pre>{@code
 * try (ClusterTopology cluster = ClusterTopology.start()) {
 *     Failover failover = cluster.killMasterOfSlot(0);   // SIGKILL; returns once the replica serves slot 0
 *     cluster.restartKilled();                           // the old master rejoins as a replica
 * }
 * }</pre>
 *
 * <p>{@link #killMasterOfSlot(int)} is a real failover: after {@code cluster-node-timeout} (default 2000 ms, raise
 * it on a loaded machine) the masters mark the killed node failed and its replica is elected. Thread-safe.
 *
 * @since 1.0
 */
public final class ClusterTopology implements AutoCloseable {

    /** Hash slots of a Redis Cluster. */
    public static final int SLOTS = 16384;

    private static final Logger LOG = LoggerFactory.getLogger(ClusterTopology.class);
    private static final int NODES = 6;
    private static final int MASTERS = 3;

    private final Duration nodeTimeout;
    private final Duration awaitTimeout;
    private final Path directory;
    private final List<RedisNode> nodes = new ArrayList<>();
    private final Set<RedisNode> killed = new LinkedHashSet<>();
    private boolean closed;

    private ClusterTopology(Builder builder, Path directory) {
        this.nodeTimeout = builder.nodeTimeout;
        this.awaitTimeout = builder.awaitTimeout;
        this.directory = directory;
    }

    /** Starts a cluster with the defaults. */
    public static ClusterTopology start() {
        return builder().start();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Every node of the cluster, running or not: any of them can seed a cluster client. */
    public List<RedisAddress> seedNodes() {
        return nodes.stream().map(RedisNode::address).toList();
    }

    /** The temporary directory with each node's {@code redis.conf}, {@code nodes.conf} and log; deleted by close. */
    public Path directory() {
        return directory;
    }

    /** The master serving {@code slot} now, per {@code CLUSTER NODES} of the first running node that answers. */
    public synchronized RedisAddress masterOfSlot(int slot) {
        checkSlot(slot);
        return ownerIn(view(anyRunning()), slot).map(ClusterNodeLine::address)
                .orElseThrow(() -> new IllegalStateException("no healthy master serves slot " + slot));
    }

    /**
     * Waits (bounded) until every node runs and says {@code cluster_state:ok} with all 16384 slots served, every
     * node sees the others healthy, three masters each with a replica, and every replica is in sync.
     */
    public synchronized void awaitReady() {
        if (!killed.isEmpty()) {
            throw new IllegalStateException("nodes " + killed + " are down: restartKilled() first");
        }
        Await.until(awaitTimeout, "the cluster to be ready", this::ready, this::describe);
    }

    /**
     * Kills (SIGKILL) the master serving {@code slot} and waits until its replica reports {@code role:master}, every
     * running node maps the slot to it and says {@code cluster_state:ok}. First waits until that master has a
     * running replica in sync.
     */
    public synchronized Failover killMasterOfSlot(int slot) {
        checkSlot(slot);
        AtomicReference<RedisNode> master = new AtomicReference<>();
        AtomicReference<RedisNode> replica = new AtomicReference<>();
        Await.until(awaitTimeout, "the master of slot " + slot + " to have a replica in sync", () -> {
            List<ClusterNodeLine> view = view(anyRunning());
            Optional<ClusterNodeLine> owner = ownerIn(view, slot);
            if (owner.isEmpty()) {
                return false;
            }
            RedisNode ownerNode = nodeAt(owner.get().address());
            for (ClusterNodeLine line : view) {
                if (line.isReplica() && line.isHealthy() && line.masterId().equals(owner.get().id())) {
                    RedisNode candidate = nodeAt(line.address());
                    if (candidate.isRunning() && candidate.replicatesInSync(ownerNode.port())) {
                        master.set(ownerNode);
                        replica.set(candidate);
                        return true;
                    }
                }
            }
            return false;
        }, this::describe);
        RedisAddress from = master.get().address();
        RedisAddress to = replica.get().address();
        long started = System.nanoTime();
        master.get().kill();
        killed.add(master.get());
        Await.until(awaitTimeout, to + " to take over slot " + slot + " from " + from, () -> {
            if (!"master".equals(replica.get().role())) {
                return false;
            }
            for (RedisNode node : runningNodes()) {
                if (!clusterOk(node) || !ownerIn(view(node), slot).map(l -> l.address().equals(to)).orElse(false)) {
                    return false;
                }
            }
            return true;
        }, this::describe);
        Failover failover = new Failover(from, to, Duration.ofNanos(System.nanoTime() - started));
        LOG.info("cluster failover of slot {} after killing its master: {}", slot, failover);
        return failover;
    }

    /**
     * Restarts the nodes {@link #killMasterOfSlot(int)} killed, on their ports with their {@code nodes.conf}, and
     * waits until the cluster is {@linkplain #awaitReady() ready}: each rejoined as a replica of the node that took
     * over. Does nothing when no node is down.
     */
    public synchronized void restartKilled() {
        if (killed.isEmpty()) {
            return;
        }
        for (RedisNode node : killed) {
            node.restart();
        }
        killed.clear();
        awaitReady();
    }

    /** Stops every node and deletes the directory. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        RedisNode.stopAll(nodes, directory);
    }

    @Override
    public String toString() {
        return "ClusterTopology" + nodes;
    }

    private void launch() {
        long started = System.nanoTime();
        List<String> config = List.of("cluster-enabled yes", "cluster-config-file nodes.conf",
                "cluster-node-timeout " + nodeTimeout.toMillis());
        for (int i = 1; i <= NODES; i++) {
            RedisNode node = new RedisNode("node-" + i, directory, RedisNode.Mode.CLUSTER, null,
                    Duration.ofSeconds(10));
            nodes.add(node);
            node.start(config);
        }
        long created = System.nanoTime();
        createCluster();
        Await.until(awaitTimeout, "the cluster to be ready", this::ready, this::describe);
        long now = System.nanoTime();
        LOG.info("cluster ready in {} ms ({} ms after redis-cli --cluster create): nodes {}",
                TimeUnit.NANOSECONDS.toMillis(now - started), TimeUnit.NANOSECONDS.toMillis(now - created),
                seedNodes());
    }

    private void createCluster() {
        List<String> command = new ArrayList<>(List.of(RedisBinaries.cli().toString(), "--cluster", "create"));
        for (RedisNode node : nodes) {
            command.add(node.address().toString());
        }
        command.addAll(List.of("--cluster-replicas", "1", "--cluster-yes"));
        Path output = directory.resolve("cluster-create.log");
        Process process;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(output.toFile()).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + String.join(" ", command), e);
        }
        LastResort.track(process);
        try {
            if (!process.waitFor(awaitTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("redis-cli --cluster create did not finish within "
                        + awaitTimeout.toMillis() + " ms:\n" + read(output));
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted during redis-cli --cluster create", e);
        } finally {
            LastResort.untrack(process);
        }
        if (process.exitValue() != 0) {
            throw new IllegalStateException("redis-cli --cluster create failed (exit " + process.exitValue()
                    + "):\n" + read(output));
        }
    }

    /** See {@link #awaitReady()}. */
    private boolean ready() {
        for (RedisNode node : nodes) {
            if (!node.isRunning() || !clusterOk(node)) {
                return false;
            }
            List<ClusterNodeLine> view = view(node);
            if (view.size() != NODES || !view.stream().allMatch(ClusterNodeLine::isHealthy)) {
                return false;
            }
            List<ClusterNodeLine> masters = view.stream().filter(l -> l.isMaster() && l.slotCount() > 0).toList();
            if (masters.size() != MASTERS || masters.stream().mapToInt(ClusterNodeLine::slotCount).sum() != SLOTS) {
                return false;
            }
            for (ClusterNodeLine master : masters) {
                if (view.stream().noneMatch(l -> l.isReplica() && l.masterId().equals(master.id()))) {
                    return false;
                }
            }
            Map<String, String> replication = node.info("replication");
            boolean servesSlots = masters.stream().anyMatch(m -> m.address().equals(node.address()));
            if ("master".equals(replication.get("role")) ? !servesSlots
                    : !"up".equals(replication.get("master_link_status"))) {
                return false;
            }
        }
        return true;
    }

    private static boolean clusterOk(RedisNode node) {
        try (RespClient client = node.client()) {
            Map<String, String> info = RespClient.parseInfo(client.callString("CLUSTER", "INFO"));
            return "ok".equals(info.get("cluster_state"))
                    && String.valueOf(SLOTS).equals(info.get("cluster_slots_ok"));
        }
    }

    private static List<ClusterNodeLine> view(RedisNode node) {
        try (RespClient client = node.client()) {
            return ClusterNodeLine.parseAll(client.callString("CLUSTER", "NODES"));
        }
    }

    private static Optional<ClusterNodeLine> ownerIn(List<ClusterNodeLine> view, int slot) {
        return view.stream().filter(l -> l.isMaster() && l.isHealthy() && l.ownsSlot(slot)).findFirst();
    }

    private RedisNode anyRunning() {
        return runningNodes().stream().findFirst()
                .orElseThrow(() -> new IllegalStateException("no node of the cluster is running"));
    }

    private List<RedisNode> runningNodes() {
        return nodes.stream().filter(RedisNode::isRunning).toList();
    }

    private RedisNode nodeAt(RedisAddress address) {
        for (RedisNode node : nodes) {
            if (node.address().equals(address)) {
                return node;
            }
        }
        throw new IllegalStateException(address + " is not a node of " + this);
    }

    private String describe() {
        return nodes.stream().map(node -> {
            if (!node.isRunning()) {
                return node.describe();
            }
            try (RespClient client = node.client()) {
                Map<String, String> info = RespClient.parseInfo(client.callString("CLUSTER", "INFO"));
                String view = view(node).stream()
                        .map(l -> l.address().port() + ":" + String.join(",", l.flags()) + ":" + l.slotCount())
                        .collect(Collectors.joining(" "));
                return node.describe() + " state=" + info.get("cluster_state") + " sees [" + view + "]";
            } catch (RuntimeException e) {
                return node.describe();
            }
        }).collect(Collectors.joining("; "));
    }

    private static void checkSlot(int slot) {
        if (slot < 0 || slot >= SLOTS) {
            throw new IllegalArgumentException("slot must be 0.." + (SLOTS - 1) + ": " + slot);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(cannot read " + file + ": " + e.getMessage() + ")";
        }
    }

    /** Configures a {@link ClusterTopology}. */
    public static final class Builder {

        private Duration nodeTimeout = Duration.ofMillis(2000);
        private Duration awaitTimeout = Duration.ofSeconds(30);

        private Builder() {
        }

        /** {@code cluster-node-timeout} (default 2000 ms): how long a master may be unreachable before failover. */
        public Builder nodeTimeout(Duration nodeTimeout) {
            this.nodeTimeout = SentinelTopology.Builder.positive(nodeTimeout, "nodeTimeout");
            return this;
        }

        /** The bound of every wait: start-up, readiness, failovers, restarts (default 30 s). */
        public Builder awaitTimeout(Duration awaitTimeout) {
            this.awaitTimeout = SentinelTopology.Builder.positive(awaitTimeout, "awaitTimeout");
            return this;
        }

        /**
         * Starts six nodes, creates the cluster with {@code redis-cli}, and waits until it is ready.
         *
         * @throws IllegalStateException when {@code redis-server} or {@code redis-cli} is not installed or the
         *     cluster does not get ready in time; whatever started is stopped again
         */
        public ClusterTopology start() {
            RedisBinaries.server();
            RedisBinaries.cli();
            ClusterTopology topology = new ClusterTopology(this, TempDirs.create("herald-redis-cluster-"));
            try {
                topology.launch();
            } catch (RuntimeException e) {
                try {
                    topology.close();
                } catch (RuntimeException suppressed) {
                    e.addSuppressed(suppressed);
                }
                throw e;
            }
            return topology;
        }
    }
}
