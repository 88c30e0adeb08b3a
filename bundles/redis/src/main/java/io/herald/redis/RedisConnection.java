package io.herald.redis;

import java.util.function.Function;

import org.osgi.annotation.versioning.ProviderType;

import redis.clients.jedis.UnifiedJedis;

/**
 * One named Redis connection (standalone, Sentinel or Cluster) that hides failovers from its callers: commands that
 * fail because the connection broke or the leader is changing are retried within the connection's retry window, and
 * subscriptions are re-established on the new leader.
 *
 * <p>Published as a service with the property {@value #NAME_PROPERTY}{@code =<name>}; select one with a target filter
 * such as {@code (herald.redis.connection=client)}.
 *
 * @since 1.0
 */
@ProviderType
public interface RedisConnection {

    /** The service property that carries {@link #name()}. */
    String NAME_PROPERTY = "herald.redis.connection";

    /** How the connection finds its Redis. */
    enum Mode { STANDALONE, SENTINEL, CLUSTER }

    /** What the connection can do now. */
    enum State {
        /** Commands are served. */
        CONNECTED,
        /**
         * A command or a health probe failed with a connection-level error: a failover or a restart is under way, or
         * the machine is too loaded to answer in time. Commands run and are retried within the retry window. One
         * failure is enough to get here, and one success after a quiet second leaves.
         */
        FAILING_OVER,
        /**
         * Redis is known to be unreachable, or it rejects this client: the first attempt to connect failed, the server
         * refused the credentials, or connection-level failures went on without a single success for longer than the
         * retry window (at least three in a row: one slow or failed probe is never enough). Commands fail at once
         * with {@link RedisUnavailableException}; the connection keeps trying in the background and is CONNECTED again
         * at the first success. Before the first attempt to connect has ended the state reads DOWN too, but commands
         * wait for that attempt (within the retry window) instead of failing.
         */
        DOWN
    }

    /** The name from the configuration, e.g. {@code client}. */
    String name();

    Mode mode();

    State state();

    /**
     * Runs a command on the current leader (the master for Sentinel, the slot's master for Cluster). When it fails
     * with a connection-level error (a broken connection, {@code CLUSTERDOWN}, {@code READONLY} on a demoted node,
     * {@code LOADING}, {@code MASTERDOWN}, ...) it is run again until it succeeds or the retry window has passed, so a
     * command may run more than once: give it idempotent work where that matters. Errors Redis returns for the
     * command itself ({@code WRONGTYPE}, a script error, ...) are thrown as they are, without a retry.
     *
     * @throws RedisUnavailableException when the command did not succeed within the retry window, or at once while
     *     the connection is confirmed {@link State#DOWN} (not while it is only {@link State#FAILING_OVER}: then the
     *     command is retried)
     */
    <T> T execute(Function<UnifiedJedis, T> command);

    /**
     * Subscribes to channels on a connection of its own, kept subscribed across failovers: after every leader change
     * (including a graceful {@code SENTINEL FAILOVER}, where a plain client stays subscribed to the demoted node and
     * silently receives nothing) and after connection errors it subscribes again. Messages published while it
     * resubscribes are lost, as with any Redis pub/sub.
     *
     * @param listener called on the subscription's own thread, one message at a time
     * @return the subscription; close it to unsubscribe
     */
    RedisSubscription subscribe(RedisMessageListener listener, String... channels);
}
