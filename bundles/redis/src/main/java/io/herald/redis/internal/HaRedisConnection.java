package io.herald.redis.internal;

import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.herald.redis.RedisConnection;
import io.herald.redis.RedisMessageListener;
import io.herald.redis.RedisSubscription;
import io.herald.redis.RedisUnavailableException;

import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.RedisSentinelClient;
import redis.clients.jedis.UnifiedJedis;

/**
 * A {@link RedisConnection} on a Jedis client, with a supervisor thread that builds the client (retrying while Redis
 * cannot be reached or rejects the configuration), probes it, reports what probes and commands observe to the
 * {@link ConnectionStateMachine} that decides {@link #state()} (with hysteresis: one failed probe never makes it DOWN),
 * logs every change, and tells the subscriptions to move when the Sentinel leader changed.
 *
 * <p>Why a supervisor: a node must start and serve what does not need Redis while Redis is down or misconfigured, and
 * recover by itself (Actionhero retries its Redis connections forever); and Jedis does not move a subscriber after a
 * graceful {@code SENTINEL FAILOVER} (it stays on the demoted node and receives nothing).
 */
final class HaRedisConnection implements RedisConnections.Opened {

    private static final Logger LOG = LoggerFactory.getLogger(HaRedisConnection.class);
    private static final long PROBE_MILLIS = 250;
    private static final String PROBE_KEY = "herald:probe";
    /** Pauses between attempts to build the client, doubling up to the maximum: Jedis logs each failed attempt. */
    private static final long REBUILD_MIN_MILLIS = 500;
    private static final long REBUILD_MAX_MILLIS = 10_000;

    private final ConnectionSettings settings;
    private final Function<ConnectionSettings, UnifiedJedis> clientFactory;
    private final ScheduledExecutorService supervisor;
    private final Set<ResubscribingSubscription> subscriptions = ConcurrentHashMap.newKeySet();
    private final AtomicLong leaderGeneration = new AtomicLong();

    private final ConnectionStateMachine states;

    private volatile UnifiedJedis client;
    private volatile HostAndPort leader;
    private volatile boolean closed;
    private long nextBuildNanos;
    private long rebuildPauseMillis = REBUILD_MIN_MILLIS;

    HaRedisConnection(ConnectionSettings settings) {
        this(settings, ClientFactory::create);
    }

    HaRedisConnection(ConnectionSettings settings, Function<ConnectionSettings, UnifiedJedis> clientFactory) {
        this.settings = settings;
        this.clientFactory = clientFactory;
        this.states = new ConnectionStateMachine(settings.retryWindowMillis(), this::log);
        this.supervisor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "herald-redis-" + settings.name() + "-supervisor");
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Tries to connect once now, then keeps supervising in the background. Never throws for Redis being down. */
    void start() {
        supervisor.execute(this::supervise);
        supervisor.scheduleWithFixedDelay(this::supervise, PROBE_MILLIS, PROBE_MILLIS, TimeUnit.MILLISECONDS);
    }

    @Override
    public String name() {
        return settings.name();
    }

    @Override
    public Mode mode() {
        return settings.mode();
    }

    @Override
    public State state() {
        return states.state();
    }

    ConnectionSettings settings() {
        return settings;
    }

    /** Where the connection points now: the current master for Sentinel. */
    String address() {
        HostAndPort current = leader;
        if (client instanceof RedisSentinelClient sentinelClient) {
            // what Jedis follows now; the supervisor's copy may be a probe behind
            current = sentinelClient.getCurrentMaster();
        }
        return current == null ? settings.address() : settings.address() + ", leader " + current;
    }

    /** The reason of the last failure, for the status action. */
    String lastError() {
        return states.lastError();
    }

    /** Failed probes and commands since the last success (0 while all is well). */
    int consecutiveFailures() {
        return states.consecutiveFailures();
    }

    /** Increases at every leader change a subscription must follow. */
    long leaderGeneration() {
        return leaderGeneration.get();
    }

    /** The client, or null while it could not be built. */
    UnifiedJedis client() {
        return client;
    }

    @Override
    public <T> T execute(Function<UnifiedJedis, T> command) {
        Objects.requireNonNull(command, "command");
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(settings.retryWindowMillis());
        long pauseMillis = 10;
        while (true) {
            UnifiedJedis current = client;
            if (closed) {
                throw unavailable("the connection is closed", null);
            }
            if (states.failFast()) {
                // Confirmed down (the supervisor saw Redis unreachable for a whole window, or it refused us): fail
                // fast rather than hold every caller for a window of its own.
                throw unavailable("Redis is down: " + states.lastError(), null);
            }
            if (current == null || !states.settled()) {
                if (System.nanoTime() >= deadline) {
                    throw unavailable("not connected yet: the first attempt to connect did not end within the retry"
                            + " window of " + settings.retryWindowMillis() + " ms", null);
                }
                // the first attempt to connect is still under way (the service is published before it ends)
                sleep(10);
                continue;
            }
            try {
                T result = command.apply(current);
                states.commandSucceeded(System.nanoTime());
                return result;
            } catch (RuntimeException e) {
                if (!RedisErrors.isConnectionLevel(e)) {
                    throw e;
                }
                String cause = describe(e);
                states.commandFailed(System.nanoTime(), cause);
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0) {
                    throw unavailable("no success within the retry window of " + settings.retryWindowMillis()
                            + " ms: " + cause, e);
                }
                sleep(Math.min(pauseMillis, left));
                pauseMillis = Math.min(pauseMillis * 2, 200);
            }
        }
    }

    @Override
    public RedisSubscription subscribe(RedisMessageListener listener, String... channels) {
        Objects.requireNonNull(listener, "listener");
        if (channels.length == 0) {
            throw new IllegalArgumentException("subscribe to at least one channel");
        }
        if (closed) {
            throw unavailable("the connection is closed", null);
        }
        ResubscribingSubscription subscription = new ResubscribingSubscription(this, listener, channels.clone(),
                subscriptions::remove);
        subscriptions.add(subscription);
        subscription.start();
        return subscription;
    }

    @Override
    public void close() {
        closed = true;
        for (ResubscribingSubscription subscription : subscriptions) {
            subscription.close();
        }
        supervisor.shutdownNow();
        try {
            supervisor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        UnifiedJedis current = client;
        client = null;
        if (current != null) {
            try {
                current.close();
            } catch (RuntimeException e) {
                LOG.debug("closing Redis connection '{}': {}", name(), RedisErrors.describe(e));
            }
        }
    }

    private RedisUnavailableException unavailable(String why, Throwable cause) {
        return new RedisUnavailableException(name(), "Redis connection '" + name() + "' (" + settings.address()
                + ") unavailable: " + why, cause);
    }

    /** What went wrong, in TLS terms when a TLS handshake failed. */
    String describe(Throwable e) {
        return RedisErrors.describe(e, settings.tls());
    }

    /** One round of the supervisor: build the client if needed, probe it, follow the leader. */
    private void supervise() {
        if (closed) {
            return;
        }
        try {
            if (client == null) {
                build();
                return;
            }
            probe();
            followLeader();
        } catch (RuntimeException e) {
            LOG.warn("Redis connection '{}': supervisor error: {}", name(), RedisErrors.describe(e), e);
        }
    }

    private void build() {
        long now = System.nanoTime();
        if (now < nextBuildNanos) {
            return;
        }
        nextBuildNanos = now + TimeUnit.MILLISECONDS.toNanos(rebuildPauseMillis);
        rebuildPauseMillis = Math.min(rebuildPauseMillis * 2, REBUILD_MAX_MILLIS);
        UnifiedJedis built;
        try {
            built = clientFactory.apply(settings);
        } catch (RuntimeException e) {
            states.probeFailed(System.nanoTime(), describe(e), RedisErrors.isAccessDenied(e));
            return;
        }
        client = built;
        probe();
        followLeader();
    }

    private void probe() {
        UnifiedJedis current = client;
        try {
            if (settings.mode() == Mode.CLUSTER) {
                // Jedis broadcasts PING to every Cluster node, so it fails while a dead node is still known; a
                // keyed read goes to one slot's master, following redirects and refreshing the slot map
                current.exists(PROBE_KEY);
            } else {
                current.ping();
            }
        } catch (RuntimeException e) {
            states.probeFailed(System.nanoTime(), describe(e), RedisErrors.isAccessDenied(e));
            return;
        }
        states.probeSucceeded(System.nanoTime());
    }

    /** Sentinel: compares the master Jedis follows (it listens to +switch-master) with the one subscriptions use. */
    private void followLeader() {
        if (!(client instanceof RedisSentinelClient sentinelClient)) {
            return;
        }
        HostAndPort current = sentinelClient.getCurrentMaster();
        HostAndPort previous = leader;
        if (current != null && !current.equals(previous)) {
            leader = current;
            if (previous != null) {
                long generation = leaderGeneration.incrementAndGet();
                LOG.info("Redis connection '{}': leader of '{}' changed from {} to {}; moving {} subscription(s)",
                        name(), settings.masterName(), previous, current, subscriptions.size());
                for (ResubscribingSubscription subscription : subscriptions) {
                    subscription.leaderChanged(generation);
                }
            }
        }
    }

    /** One line per change of state (and per new cause of a DOWN that goes on), naming the connection and cause. */
    private void log(ConnectionStateMachine.Change change) {
        if (change.causeOnly()) {
            LOG.warn("Redis connection '{}' ({}) is still DOWN, now: {}; retrying in the background", name(),
                    address(), change.cause());
            return;
        }
        switch (change.next()) {
            case CONNECTED -> LOG.info("Redis connection '{}' ({}) is CONNECTED (was {})", name(), address(),
                    change.previous());
            case FAILING_OVER -> LOG.warn("Redis connection '{}' ({}) is FAILING_OVER: {}; retrying commands for up to"
                    + " {} ms", name(), address(), change.cause(), settings.retryWindowMillis());
            case DOWN -> LOG.warn("Redis connection '{}' ({}) is DOWN: {}; retrying in the background", name(),
                    address(), change.cause());
        }
    }

    private void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unavailable("interrupted while waiting to retry a command", e);
        }
    }
}
