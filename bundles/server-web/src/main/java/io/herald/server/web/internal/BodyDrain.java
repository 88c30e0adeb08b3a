package io.herald.server.web.internal;

import java.util.concurrent.TimeUnit;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpHeaderValue;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * Reads and discards the rest of a body refused with 413 once the response has been written, then lets Jetty close
 * the connection, so a client still sending that body reads the 413 rather than a connection reset.
 *
 * <p>Why: the 413 goes out while the client is still sending. Jetty half-closes the connection after the last byte
 * of a {@code Connection: close} response, but when the handler completes, it reads only what is already buffered
 * ({@code HttpConfiguration.maxUnconsumedRequestContentReads}: it never waits) and then closes the socket. Closing a
 * socket with unread bytes makes the kernel send a TCP reset, and a client that is still writing (java.net.http,
 * browsers) then reports "connection reset" without reading the 413 it already has. nginx avoids this with its
 * lingering close and Tomcat with {@code maxSwallowSize}; this is the same idea.
 *
 * <p>A client may send gigabytes, or a byte now and then for ever, so the drain is bounded: at most
 * {@code maxDrainSize} bytes and {@code drainTimeout} milliseconds, after which the connection is closed even if the
 * client is still sending (it has had the 413 and the end of the response since the start of the drain). The drain
 * holds no thread while it waits: it reads what has arrived, asks Jetty to call it back when more does
 * ({@link Request#demand}), and returns; a scheduler task ends it when the time is up.
 */
final class BodyDrain {

    private final long maxBytes;
    private final long timeoutMillis;

    /**
     * @param maxBytes the most bytes read and discarded; 0 closes at once
     * @param timeoutMillis the longest a drain lasts; 0 closes at once
     */
    BodyDrain(long maxBytes, long timeoutMillis) {
        this.maxBytes = maxBytes;
        this.timeoutMillis = timeoutMillis;
    }

    /**
     * A callback for the write of the 413 response: once it is written, it drains the request body, then completes
     * {@code completion}; a failed write fails {@code completion} at once.
     */
    Callback afterResponse(Request request, Callback completion) {
        if (maxBytes == 0 || timeoutMillis == 0 || waitsForContinue(request)) {
            return completion;
        }
        return new Callback() {
            @Override
            public void succeeded() {
                new Drain(request, completion).start();
            }

            @Override
            public void failed(Throwable failure) {
                completion.failed(failure);
            }
        };
    }

    /**
     * A client that sent {@code Expect: 100-continue} sends no body until the server asks for it with 100 Continue,
     * which Jetty does on the first read. A length over the limit is refused before anything is read
     * ({@link RequestBody}), so this client was never asked. It has no body in flight, and draining would only keep
     * the connection open for a body that is not coming. A chunked body has no length: it is refused only while being
     * read, after the 100 Continue, so it is drained like any other.
     */
    private static boolean waitsForContinue(Request request) {
        return request.getLength() >= 0
                && request.getHeaders().contains(HttpHeader.EXPECT, HttpHeaderValue.CONTINUE.asString());
    }

    /** One drain: run by Jetty each time more of the body has arrived, until the body ends or a bound is hit. */
    private final class Drain implements Runnable {

        private final Request request;
        private final Callback completion;
        /** Guarded by this: set once, by the read that ends the drain or by the timeout. */
        private boolean finished;
        private long drained;
        private Scheduler.Task timeout;

        Drain(Request request, Callback completion) {
            this.request = request;
            this.completion = completion;
        }

        void start() {
            Scheduler.Task task = request.getComponents().getScheduler().schedule(this::expire, timeoutMillis,
                    TimeUnit.MILLISECONDS);
            synchronized (this) {
                timeout = task;
            }
            run();
        }

        @Override
        public void run() {
            try {
                if (drainAvailable()) {
                    finish(null);
                }
            } catch (RuntimeException e) {
                // The request is no longer readable: stop here, and let Jetty abort the connection.
                boolean first;
                synchronized (this) {
                    first = !finished;
                    finished = true;
                }
                if (first) {
                    finish(e);
                }
            }
        }

        /**
         * Discards what has arrived, and asks to be run again when more does.
         *
         * @return true when the drain is over and this call must finish it
         */
        private synchronized boolean drainAvailable() {
            // Under the lock: the timeout must not complete the request while a read is under way.
            while (!finished) {
                Content.Chunk chunk = request.read();
                if (chunk == null) {
                    request.demand(this);
                    return false;
                }
                // A failure chunk: the client went away or Jetty's idle timeout struck; either way it is over.
                boolean over = chunk.isLast() || Content.Chunk.isFailure(chunk);
                drained += chunk.remaining();
                chunk.release();
                if (over || drained >= maxBytes) {
                    finished = true;
                    return true;
                }
            }
            return false;
        }

        private void expire() {
            synchronized (this) {
                if (finished) {
                    return;
                }
                finished = true;
            }
            // A read is still demanded: Jetty closes the connection when the request completes with one pending.
            finish(null);
        }

        /** Ends the drain, once: {@code failure} is null unless reading failed unexpectedly. */
        private void finish(Throwable failure) {
            Scheduler.Task task;
            synchronized (this) {
                task = timeout;
            }
            if (task != null) {
                task.cancel();
            }
            // The response says Connection: close, so completing the request closes the connection. When the whole body
            // was read, nothing is left unread and the close is clean; otherwise the client gets a reset, but only after
            // the bound, long after the 413 reached it.
            if (failure == null) {
                completion.succeeded();
            } else {
                completion.failed(failure);
            }
        }
    }
}
