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
     * As {@link #describe(Throwable)}, but a failed TLS handshake of a TLS connection says what went wrong in words an
     * operator can act on: the JDK's own messages ("PKIX path building failed", "Read timed out") name neither the
     * certificate nor the setting to change.
     */
    static String describe(Throwable error, ConnectionSettings.Tls tls) {
        String plain = describe(error);
        if (!tls.enabled()) {
            return plain;
        }
        java.util.List<Throwable> causes = causes(error);
        // the most precise cause first: an SSLHandshakeException wraps the certificate problem
        for (Throwable t : causes) {
            String message = String.valueOf(t.getMessage());
            if (t instanceof java.security.cert.CertificateException && (message.startsWith("No name matching")
                    || message.startsWith("No subject alternative"))) {
                return "TLS handshake failed: the server's certificate does not name the host dialled (" + message
                        + "); dial a name or address it holds, or set sslVerifyHostname = false";
            }
        }
        for (Throwable t : causes) {
            if (t instanceof java.security.cert.CertPathBuilderException
                    || t instanceof java.security.cert.CertPathValidatorException) {
                return "TLS handshake failed: the server's certificate is not trusted (no chain to " + trusted(tls)
                        + "); set sslCaFile to the CA that signed it (" + t.getMessage() + ")";
            }
        }
        for (Throwable t : causes) {
            if (t instanceof java.net.SocketTimeoutException && inHandshake(t)) {
                return "TLS handshake failed: no answer within socketTimeoutMillis (" + t.getMessage() + "); is this"
                        + " a plain Redis port? One waits silently for a command when a TLS client greets it";
            }
            if (t instanceof javax.net.ssl.SSLHandshakeException
                    || String.valueOf(t.getMessage()).contains("Unsupported or unrecognized SSL message")) {
                return "TLS handshake failed: " + t.getMessage() + " (is this port serving TLS? Redis serves TLS on"
                        + " its tls-port only)";
            }
        }
        return plain;
    }

    private static String trusted(ConnectionSettings.Tls tls) {
        return tls.caFile() != null ? "sslCaFile " + tls.caFile()
                : tls.trustStore() != null ? "sslTrustStore " + tls.trustStore() : "a CA the JVM trusts";
    }

    /** A read that timed out in the handshake, not in a command: the handshake's frames are on its stack. */
    private static boolean inHandshake(Throwable timeout) {
        for (StackTraceElement frame : timeout.getStackTrace()) {
            String method = frame.getMethodName();
            if (frame.getClassName().startsWith("sun.security.ssl.")
                    && (method.equals("startHandshake") || method.equals("ensureNegotiated"))) {
                return true;
            }
        }
        return false;
    }

    /** The error, its causes and the first suppressed exception of each, as {@link #describe(Throwable)} walks them. */
    private static java.util.List<Throwable> causes(Throwable error) {
        java.util.List<Throwable> chain = new java.util.ArrayList<>();
        Throwable next = error;
        for (int depth = 0; next != null && depth < 10; depth++) {
            chain.add(next);
            Throwable current = next;
            next = current.getCause() != null && current.getCause() != current ? current.getCause()
                    : current.getSuppressed().length > 0 ? current.getSuppressed()[0] : null;
        }
        return chain;
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
