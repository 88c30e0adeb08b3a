package io.herald.core.internal.cluster;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import io.herald.api.cluster.ClusterException;
import io.herald.api.cluster.ClusterReply;
import io.herald.api.cluster.ClusterTimeoutException;

/**
 * The calls this node sent and still waits for, by correlation id. Each ends at the first of: all awaited replies
 * arrived, its timeout, the bus stopping. Replies to unknown ids (late, or for another node) are ignored.
 */
final class PendingCalls {

    private final Map<String, Pending> calls = new ConcurrentHashMap<>();

    /** A call waiting for replies. */
    abstract static class Pending {
        private volatile ScheduledFuture<?> timer;

        /** Takes a reply; returns true when the call is complete. */
        abstract boolean offer(ClusterReply reply);

        abstract void expire();

        abstract void abort();
    }

    /** A call to every node: done when every member known at sending time answered, else at the timeout. */
    static final class AllReplies extends Pending {
        final CompletableFuture<List<ClusterReply>> result = new CompletableFuture<>();
        private final Set<String> awaited;
        private final Set<String> answered = new HashSet<>();
        private final List<ClusterReply> replies = new ArrayList<>();

        AllReplies(Set<String> awaited) {
            this.awaited = Set.copyOf(awaited);
        }

        @Override
        synchronized boolean offer(ClusterReply reply) {
            if (!answered.add(reply.nodeId())) {
                return false; // one reply per node, even if a transport delivers twice
            }
            replies.add(reply);
            if (answered.containsAll(awaited)) {
                result.complete(List.copyOf(replies));
                return true;
            }
            return false;
        }

        @Override
        synchronized void expire() {
            result.complete(List.copyOf(replies));
        }

        @Override
        void abort() {
            expire(); // the replies received are as good as at a timeout
        }
    }

    /** A call to the holder of one connection: done at the first reply; a timeout is an error. */
    static final class OwnerReply extends Pending {
        final CompletableFuture<ClusterReply> result = new CompletableFuture<>();
        private final String description;

        OwnerReply(String description) {
            this.description = description;
        }

        @Override
        boolean offer(ClusterReply reply) {
            result.complete(reply);
            return true;
        }

        @Override
        void expire() {
            result.completeExceptionally(new ClusterTimeoutException("no node answered " + description
                    + " in time: no node holds the connection, or its node is down or unreachable"));
        }

        @Override
        void abort() {
            result.completeExceptionally(new ClusterException("the cluster bus stopped before any node answered "
                    + description));
        }
    }

    void add(String id, Pending call, Duration timeout, ScheduledExecutorService timer) {
        calls.put(id, call);
        call.timer = timer.schedule(() -> {
            if (calls.remove(id, call)) {
                call.expire();
            }
        }, Math.max(1, timeout.toMillis()), TimeUnit.MILLISECONDS);
    }

    /** Forgets a call whose message could not be sent. */
    void remove(String id) {
        Pending call = calls.remove(id);
        if (call != null && call.timer != null) {
            call.timer.cancel(false);
        }
    }

    void reply(String id, ClusterReply reply) {
        Pending call = calls.get(id);
        if (call != null && call.offer(reply) && calls.remove(id, call)) {
            ScheduledFuture<?> timer = call.timer;
            if (timer != null) {
                timer.cancel(false);
            }
        }
    }

    void abortAll() {
        for (String id : List.copyOf(calls.keySet())) {
            Pending call = calls.remove(id);
            if (call != null) {
                call.abort();
            }
        }
    }
}
