package io.herald.redis.internal;

import redis.clients.jedis.exceptions.JedisAccessControlException;
import redis.clients.jedis.exceptions.JedisClusterOperationException;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisException;

/** Sorts Jedis failures into those a failover explains (worth a retry) and those Redis meant. */
final class RedisErrors {

    /**
     * Error replies a node gives while the topology changes: the cluster lost a master ({@code CLUSTERDOWN}), a
     * demoted leader refuses writes ({@code READONLY}), a restarted node loads its data ({@code LOADING}), a replica
     * lost its master ({@code MASTERDOWN}), a slot migrates ({@code TRYAGAIN}).
     */
    private static final String[] TRANSIENT_REPLIES = {"CLUSTERDOWN", "READONLY", "LOADING", "MASTERDOWN", "TRYAGAIN"};

    private RedisErrors() {
    }

    /** Whether the command may succeed when run again once the connection or the topology has recovered. */
    static boolean isConnectionLevel(Throwable error) {
        if (error instanceof JedisConnectionException || error instanceof JedisClusterOperationException) {
            return true;
        }
        if (error instanceof JedisDataException) {
            String message = String.valueOf(error.getMessage());
            for (String reply : TRANSIENT_REPLIES) {
                if (message.startsWith(reply)) {
                    return true;
                }
            }
            return false;
        }
        // The pool wraps what went wrong while it made a connection ("Could not get a resource from the pool").
        return error instanceof JedisException && error.getCause() != null && !(error.getCause() instanceof JedisException)
                && String.valueOf(error.getMessage()).startsWith("Could not get a resource");
    }

    /** Whether the server refused this client (wrong password or user): retrying does not help, fixing config does. */
    static boolean isAccessDenied(Throwable error) {
        if (error instanceof JedisAccessControlException) {
            return true;
        }
        String message = String.valueOf(error.getMessage());
        return message.startsWith("NOAUTH") || message.startsWith("WRONGPASS")
                || message.contains("AUTH <password> called without any password configured");
    }

    /**
     * The error's message with its deepest cause, e.g. "Failed to connect to 127.0.0.1:7. (Connection refused)". Jedis
     * attaches the socket's error as a suppressed exception when it tried several addresses, so those count as causes.
     */
    static String describe(Throwable error) {
        String message = error.getMessage() == null ? error.getClass().getSimpleName() : error.getMessage();
        Throwable root = error;
        for (int depth = 0; depth < 10; depth++) {
            Throwable next = root.getCause() != null && root.getCause() != root ? root.getCause()
                    : root.getSuppressed().length > 0 ? root.getSuppressed()[0] : null;
            if (next == null) {
                break;
            }
            root = next;
        }
        if (root != error && root.getMessage() != null && !message.contains(root.getMessage())) {
            message = message + " (" + root.getMessage() + ")";
        }
        return message;
    }
}
