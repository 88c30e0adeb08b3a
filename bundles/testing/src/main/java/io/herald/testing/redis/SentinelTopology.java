package io.herald.testing.redis;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.herald.testing.redis.internal.Await;
import io.herald.testing.redis.internal.RedisBinaries;
import io.herald.testing.redis.internal.TempDirs;

/**
 * A Redis Sentinel set on 127.0.0.1: one leader, one replica and three sentinels (quorum 2) watching the leader
 * under {@link #masterName()}, all on free ports in one temporary directory, without persistence. Clients find the
 * leader through {@link #sentinelAddresses()}, as Jedis' {@code RedisSentinelClient} does.
 *
 * <pre>{@code
 * try (SentinelTopology sentinel = SentinelTopology.start()) {
 *     RedisAddress before = sentinel.currentLeader();
 *     Failover failover = sentinel.killLeader();      // SIGKILL; returns once the replica took over
 *     sentinel.restartKilled();                       // the old leader rejoins as a replica
 * }
 * }</pre>
 *
 * <p>Failovers are real: {@link #failoverGracefully()} asks a sentinel ({@code SENTINEL FAILOVER}),
 * {@link #killLeader()} kills the leader's process; both wait (bounded) until the new leader reports
 * {@code role:master} and every sentinel names it. Before starting one they wait until the topology is
 * {@linkplain #awaitReady() ready} again, because Sentinel turns a demoted leader into a replica only about ten
 * seconds after the switch. The defaults ({@code down-after-milliseconds} 2000, {@code failover-timeout} 4000) are
 * for fast tests: with 1000 ms a killed-leader failover was once followed by a spurious second one back to the
 * restarted node. Thread-safe.
 *
 * @since 1.0
 */
public final class SentinelTopology implements AutoCloseable {

    /** The default {@link #masterName()}. */
    public static final String DEFAULT_MASTER_NAME = "herald-leader";

    private static final Logger LOG = LoggerFactory.getLogger(SentinelTopology.class);
    private static final Pattern MASTER_NAME = Pattern.compile("[A-Za-z0-9._-]+");
    private static final int SENTINELS = 3;
    private static final int QUORUM = 2;

    private final String masterName;
    private final Duration downAfter;
    private final Duration failoverTimeout;
    private final Duration awaitTimeout;
    private final Path directory;
    private final List<RedisNode> nodes = new ArrayList<>();
    private final List<RedisNode> sentinels = new ArrayList<>();
    private final Set<RedisNode> killed = new LinkedHashSet<>();
    private boolean closed;

    private SentinelTopology(Builder builder, Path directory) {
        this.masterName = builder.masterName;
        this.downAfter = builder.downAfter;
        this.failoverTimeout = builder.failoverTimeout;
        this.awaitTimeout = builder.awaitTimeout;
        this.directory = directory;
    }

    /** Starts a topology with the defaults. */
    public static SentinelTopology start() {
        return builder().start();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The name the sentinels monitor the leader under ({@code sentinel monitor <name> ...}). */
    public String masterName() {
        return masterName;
    }

    /** The three sentinels, for a client's sentinel list. */
    public List<RedisAddress> sentinelAddresses() {
        return sentinels.stream().map(RedisNode::address).toList();
    }

    /** The two data nodes (leader and replica, in start order), running or not. */
    public List<RedisAddress> nodeAddresses() {
        return nodes.stream().map(RedisNode::address).toList();
    }

    /** The temporary directory with each node's {@code redis.conf} and {@code redis.log}; deleted by close. */
    public Path directory() {
        return directory;
    }

    /** The leader as a sentinel names it ({@code SENTINEL GET-MASTER-ADDR-BY-NAME}), asking them in turn. */
    public synchronized RedisAddress currentLeader() {
        RuntimeException failure = null;
        for (RedisNode sentinel : sentinels) {
            try {
                RedisAddress leader = new SentinelView(sentinel, masterName).leader();
                if (leader != null) {
                    return leader;
                }
            } catch (RuntimeException e) {
                failure = e;
            }
        }
        throw new IllegalStateException("no sentinel names a leader for " + masterName, failure);
    }

    /**
     * Waits (bounded) until every sentinel names the same leader, sees it healthy with every running data node as
     * a healthy replica and the other two sentinels, and every running replica is in sync with it.
     */
    public synchronized void awaitReady() {
        Await.until(awaitTimeout, "the sentinel topology to be ready", () -> readyLeader() != null, this::describe);
    }

    /**
     * {@code SENTINEL FAILOVER}: the leader hands over to the replica without being down. Waits until the topology
     * is ready first, then until every sentinel names the new leader and it reports {@code role:master}. The old
     * leader rejoins as a replica about ten seconds later ({@code +convert-to-slave}); {@link #awaitReady()} waits
     * for that.
     */
    public synchronized Failover failoverGracefully() {
        awaitReady();
        RedisAddress from = currentLeader();
        long started = System.nanoTime();
        try (RespClient client = sentinels.get(0).client()) {
            client.call("SENTINEL", "FAILOVER", masterName);
        }
        Failover failover = awaitNewLeader(from, started);
        LOG.info("graceful failover of {}: {}", masterName, failover);
        return failover;
    }

    /**
     * Kills the leader's process (SIGKILL) and waits until the sentinels detected it (after
     * {@code down-after-milliseconds}), promoted the replica and all name it. Waits until the topology is ready
     * first. {@link #restartKilled()} brings the old leader back.
     */
    public synchronized Failover killLeader() {
        if (runningNodes().size() < 2) {
            throw new IllegalStateException("no replica left to take over: restartKilled() first");
        }
        awaitReady();
        RedisAddress from = currentLeader();
        RedisNode leader = nodeAt(from);
        long started = System.nanoTime();
        leader.kill();
        killed.add(leader);
        Failover failover = awaitNewLeader(from, started);
        LOG.info("failover of {} after killing the leader: {}", masterName, failover);
        return failover;
    }

    /**
     * Restarts the nodes {@link #killLeader()} killed, on their ports, as replicas of the current leader, and waits
     * until the topology is ready again (they are in sync and the sentinels see them healthy). Does nothing when no
     * node is down.
     */
    public synchronized void restartKilled() {
        if (killed.isEmpty()) {
            return;
        }
        AtomicReference<RedisAddress> leader = new AtomicReference<>();
        Await.until(awaitTimeout, "the sentinels to name a running leader", () -> {
            RedisAddress named = leaderNamedByAll();
            RedisNode node = named == null ? null : nodeAt(named);
            leader.set(named);
            return node != null && node.isRunning() && "master".equals(node.role());
        }, this::describe);
        for (RedisNode node : killed) {
            node.restart(List.of(replicaOf(leader.get())));
        }
        killed.clear();
        awaitReady();
    }

    /** Stops the sentinels, then the data nodes, and deletes the directory. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        List<RedisNode> all = new ArrayList<>(sentinels);
        all.addAll(nodes);
        RedisNode.stopAll(all, directory);
    }

    @Override
    public String toString() {
        return "SentinelTopology[" + masterName + ", sentinels " + sentinels + ", nodes " + nodes + "]";
    }

    private void launch() {
        long started = System.nanoTime();
        Duration startTimeout = Duration.ofSeconds(10);
        RedisNode leader = new RedisNode("node-1", directory, RedisNode.Mode.SERVER, null, startTimeout);
        nodes.add(leader);
        leader.start(List.of());
        RedisNode replica = new RedisNode("node-2", directory, RedisNode.Mode.SERVER, null, startTimeout);
        nodes.add(replica);
        replica.start(List.of(replicaOf(leader.address())));
        // sentinels learn replicas from the leader's INFO, refreshed every 10 s: list it before they first ask
        Await.until(awaitTimeout, "node-2 to sync with node-1", () -> replica.replicatesInSync(leader.port()),
                this::describe);
        for (int i = 1; i <= SENTINELS; i++) {
            RedisNode sentinel = new RedisNode("sentinel-" + i, directory, RedisNode.Mode.SENTINEL, null,
                    startTimeout);
            sentinels.add(sentinel);
            sentinel.start(sentinelConfig(leader.address()));
        }
        awaitReady();
        LOG.info("sentinel topology {} ready in {} ms: leader {}, replica {}, sentinels {}", masterName,
                Duration.ofNanos(System.nanoTime() - started).toMillis(), leader.address(), replica.address(),
                sentinelAddresses());
    }

    private List<String> sentinelConfig(RedisAddress leader) {
        return List.of(
                "sentinel monitor " + masterName + " " + leader.host() + " " + leader.port() + " " + QUORUM,
                "sentinel down-after-milliseconds " + masterName + " " + downAfter.toMillis(),
                "sentinel failover-timeout " + masterName + " " + failoverTimeout.toMillis(),
                "sentinel parallel-syncs " + masterName + " 1");
    }

    private static String replicaOf(RedisAddress leader) {
        return "replicaof " + leader.host() + " " + leader.port();
    }

    /** The leader when the whole topology is ready, else null. */
    private RedisAddress readyLeader() {
        RedisAddress leader = leaderNamedByAll();
        RedisNode leaderNode = leader == null ? null : nodeAt(leader);
        if (leaderNode == null || !leaderNode.isRunning() || !"master".equals(leaderNode.role())) {
            return null;
        }
        List<Integer> replicaPorts = new ArrayList<>();
        for (RedisNode node : runningNodes()) {
            if (node != leaderNode) {
                if (!node.replicatesInSync(leader.port())) {
                    return null;
                }
                replicaPorts.add(node.port());
            }
        }
        for (RedisNode sentinel : sentinels) {
            if (!new SentinelView(sentinel, masterName).isHealthy(leader, SENTINELS - 1, replicaPorts)) {
                return null;
            }
        }
        return leader;
    }

    /** The leader every sentinel names, or null while they disagree. */
    private RedisAddress leaderNamedByAll() {
        RedisAddress agreed = null;
        for (RedisNode sentinel : sentinels) {
            RedisAddress named = new SentinelView(sentinel, masterName).leader();
            if (named == null || (agreed != null && !agreed.equals(named))) {
                return null;
            }
            agreed = named;
        }
        return agreed;
    }

    private Failover awaitNewLeader(RedisAddress from, long started) {
        AtomicReference<RedisAddress> to = new AtomicReference<>();
        Await.until(awaitTimeout, "every sentinel to name a new leader instead of " + from, () -> {
            RedisAddress named = leaderNamedByAll();
            RedisNode node = named == null || named.equals(from) ? null : nodeAt(named);
            if (node != null && node.isRunning() && "master".equals(node.role())) {
                to.set(named);
                return true;
            }
            return false;
        }, this::describe);
        return new Failover(from, to.get(), Duration.ofNanos(System.nanoTime() - started));
    }

    private RedisNode nodeAt(RedisAddress address) {
        for (RedisNode node : nodes) {
            if (node.address().equals(address)) {
                return node;
            }
        }
        throw new IllegalStateException("the sentinels name " + address + ", which is not a node of " + this);
    }

    private List<RedisNode> runningNodes() {
        return nodes.stream().filter(RedisNode::isRunning).toList();
    }

    private String describe() {
        String views = sentinels.stream().map(s -> new SentinelView(s, masterName).describe())
                .collect(Collectors.joining("; "));
        String data = nodes.stream().map(RedisNode::describe).collect(Collectors.joining("; "));
        return views + "; " + data;
    }

    /** Configures a {@link SentinelTopology}. */
    public static final class Builder {

        private String masterName = DEFAULT_MASTER_NAME;
        private Duration downAfter = Duration.ofMillis(2000);
        private Duration failoverTimeout = Duration.ofMillis(4000);
        private Duration awaitTimeout = Duration.ofSeconds(30);

        private Builder() {
        }

        /** The name the leader is monitored under (default {@value SentinelTopology#DEFAULT_MASTER_NAME}). */
        public Builder masterName(String masterName) {
            if (masterName == null || !MASTER_NAME.matcher(masterName).matches()) {
                throw new IllegalArgumentException("master name must be letters, digits, '.', '_' or '-': "
                        + masterName);
            }
            this.masterName = masterName;
            return this;
        }

        /**
         * {@code sentinel down-after-milliseconds} (default 2000 ms): how long the leader must be unreachable
         * before a sentinel considers it down. 1000 ms makes kill failovers faster but was seen to flap.
         */
        public Builder downAfter(Duration downAfter) {
            this.downAfter = positive(downAfter, "downAfter");
            return this;
        }

        /** {@code sentinel failover-timeout} (default 4000 ms). */
        public Builder failoverTimeout(Duration failoverTimeout) {
            this.failoverTimeout = positive(failoverTimeout, "failoverTimeout");
            return this;
        }

        /** The bound of every wait: start-up, readiness, failovers, restarts (default 30 s). */
        public Builder awaitTimeout(Duration awaitTimeout) {
            this.awaitTimeout = positive(awaitTimeout, "awaitTimeout");
            return this;
        }

        /**
         * Starts the leader, the replica and the sentinels, and waits until the topology is ready.
         *
         * @throws IllegalStateException when {@code redis-server} is not installed or the topology does not get
         *     ready in time; whatever started is stopped again
         */
        public SentinelTopology start() {
            RedisBinaries.server();
            SentinelTopology topology = new SentinelTopology(this, TempDirs.create("herald-redis-sentinel-"));
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

        static Duration positive(Duration duration, String name) {
            Objects.requireNonNull(duration, name);
            if (duration.isNegative() || duration.isZero()) {
                throw new IllegalArgumentException(name + " must be positive: " + duration);
            }
            return duration;
        }
    }
}
