package io.herald.server.web.internal;

import java.util.ArrayDeque;

import org.eclipse.jetty.server.AbstractMetaDataConnection;

/**
 * Keeps a connection on the virtual thread that served its request (Java 21+, see {@link SiteHandler}).
 *
 * <p>{@link SiteHandler} answers Jetty at once and runs the request on a virtual thread. When the response is complete,
 * Jetty resumes the connection (reads its next request) through the server's thread pool, since the thread that read the
 * request has gone on: a second hand-off per request, from the virtual thread to a platform thread. That one cost the
 * echo action about a quarter more CPU per request than on Java 17 (issue 15), and under load it grew the platform pool
 * to its maximum. Instead, a connection resumed from a request's virtual thread is run there, once the request's
 * handling has returned (a trampoline: no deeper stack per pipelined request): a keep-alive connection costs one
 * hand-off per request, from the selector to a virtual thread, as Jetty's own virtual-thread dispatch does.
 *
 * <p>Only HTTP/1 connections are kept (Jetty's {@code HttpConnection} resuming, an {@link AbstractMetaDataConnection}):
 * any other job (a body's demand callback, a write's completion, an HTTP/2 session's reading) goes to the pool as
 * before, so nothing that a request's thread waits for can be queued behind it.
 */
final class RequestThreads {

    /** Set on a request's virtual thread while it runs: the connections resumed from it. */
    private static final ThreadLocal<ArrayDeque<Runnable>> RESUMED = new ThreadLocal<>();

    private RequestThreads() {
    }

    /** Whether the current thread is a request's virtual thread (its requests are served where they are read). */
    static boolean onRequestThread() {
        return RESUMED.get() != null;
    }

    /** Runs {@code request} on this (new virtual) thread, then the connections it resumed, until none is left. */
    static void run(Runnable request) {
        ArrayDeque<Runnable> resumed = new ArrayDeque<>(2);
        RESUMED.set(resumed);
        try {
            request.run();
            Runnable next;
            while ((next = resumed.poll()) != null) {
                next.run();
            }
        } finally {
            RESUMED.remove();
        }
    }

    /** Keeps {@code job} for this request's thread when it resumes an HTTP/1 connection; false: the pool runs it. */
    static boolean keep(Runnable job) {
        if (!(job instanceof AbstractMetaDataConnection)) {
            return false;
        }
        ArrayDeque<Runnable> resumed = RESUMED.get();
        if (resumed == null) {
            return false;
        }
        resumed.add(job);
        return true;
    }
}
