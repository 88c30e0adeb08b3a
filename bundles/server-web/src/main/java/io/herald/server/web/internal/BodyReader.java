package io.herald.server.web.internal;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.util.VirtualThreads;
import org.eclipse.jetty.util.thread.Invocable;
import org.eclipse.jetty.util.thread.Scheduler;

import io.herald.api.spi.HeraldError;

/**
 * Reads one request body without holding a thread while it arrives: it takes what has arrived, asks Jetty to call it
 * again when more does ({@link Request#demand}) and returns, so a client sending its body a byte at a time costs a
 * connection, not a thread (on Java 17 a platform thread each, which 200 such clients used to exhaust). The reading is
 * declared non-blocking, so Jetty runs it where the bytes arrive (the selector) instead of handing each arrival to a
 * pool thread; once the body is complete, {@link Next#body} (which runs the action, and may block) is run on the
 * handler's thread when the body was there at once, else handed to the server's pool (a virtual thread on Java 21+).
 *
 * <p>The body is bounded in size (maxBodySize, counted as bytes arrive: a chunked body declares no length), in time
 * (requestBodyTimeout from the start of the read) and in rate (minRequestDataRate bytes per second on average, from
 * {@link ClientLimits#RATE_GRACE_MILLIS} on). A check every {@value #CHECK_MILLIS} ms of a scheduler task enforces the
 * last two while the client sends nothing; Jetty's idle timeout ends a silence that lasts longer.
 */
final class BodyReader implements Invocable.Task {

    /** What happens once the body is read, or refused. Exactly one of the two is called, once. */
    interface Next {

        void body(byte[] body);

        void refused(WebException refusal);
    }

    static final long CHECK_MILLIS = 250;

    private final Request request;
    private final long maxBodySize;
    private final ClientLimits limits;
    private final Next next;
    private final long startNanos = System.nanoTime();
    /** Guarded by this. */
    private byte[] body;
    private int length;
    private boolean finished;
    private Scheduler.Task check;
    /** The handler's thread while {@link #start} runs: the body may be handed on there, blocking allowed. */
    private volatile Thread starter;

    BodyReader(Request request, long maxBodySize, ClientLimits limits, Next next) {
        this.request = request;
        this.maxBodySize = maxBodySize;
        this.limits = limits;
        this.next = next;
        long declared = request.getLength();
        // Grown as bytes arrive, so a large Content-Length alone does not make the server allocate.
        this.body = new byte[declared > 0 ? (int) Math.min(declared, 64 * 1024) : 1024];
    }

    void start() {
        scheduleCheck();
        starter = Thread.currentThread();
        try {
            run();
        } finally {
            starter = null;
        }
    }

    @Override
    public InvocationType getInvocationType() {
        return InvocationType.NON_BLOCKING;
    }

    @Override
    public void run() {
        byte[] complete;
        WebException refusal = null;
        synchronized (this) {
            if (finished) {
                return;
            }
            try {
                complete = readAvailable();
            } catch (WebException e) {
                complete = null;
                refusal = e;
            }
            if (complete != null || refusal != null) {
                finished = true;
                cancelCheck();
            }
        }
        if (complete == null && refusal == null) {
            // Outside the lock: Jetty may run this again at once, on this thread, when more has arrived meanwhile.
            request.demand(this);
            return;
        }
        if (refusal != null) {
            // Writing the error is asynchronous: fine where blocking is not.
            next.refused(refusal);
        } else if (Thread.currentThread() == starter) {
            next.body(complete);
        } else {
            byte[] body = complete;
            VirtualThreads.execute(request.getComponents().getThreadPool(), () -> next.body(body));
        }
    }

    /** Reads what has arrived; the whole body once it is complete, else {@code null}: the caller demands more. */
    private byte[] readAvailable() throws WebException {
        while (true) {
            Content.Chunk chunk = request.read();
            if (chunk == null) {
                return null;
            }
            boolean last = chunk.isLast();
            try {
                if (Content.Chunk.isFailure(chunk)) {
                    throw failure(chunk.getFailure());
                }
                ByteBuffer bytes = chunk.getByteBuffer();
                int size = bytes.remaining();
                if ((long) length + size > maxBodySize) {
                    throw new WebException(HeraldError.BODY_TOO_LARGE, maxBodySize);
                }
                if (length + size > body.length) {
                    body = Arrays.copyOf(body, (int) Math.min(maxBodySize, Math.max((long) body.length * 2, length + size)));
                }
                bytes.get(body, length, size);
                length += size;
            } finally {
                chunk.release();
            }
            if (last) {
                return length == body.length ? body : Arrays.copyOf(body, length);
            }
        }
    }

    private WebException failure(Throwable failure) {
        if (failure instanceof TimeoutException) {
            return new WebException(HeraldError.REQUEST_TIMEOUT,
                    "nothing of the body arrived for " + limits.idleTimeoutMillis() + " ms (idleTimeout)");
        }
        return new WebException(HeraldError.MALFORMED_REQUEST, "the body could not be read");
    }

    private synchronized void scheduleCheck() {
        if (!finished && limits.bodyChecked()) {
            check = request.getComponents().getScheduler().schedule(this::check, CHECK_MILLIS, TimeUnit.MILLISECONDS);
        }
    }

    private void cancelCheck() {
        if (check != null) {
            check.cancel();
        }
    }

    /** Ends a body that takes too long or arrives too slowly, while its client sends nothing. */
    private void check() {
        WebException refusal;
        synchronized (this) {
            if (finished) {
                return;
            }
            refusal = tooSlow();
            if (refusal == null) {
                scheduleCheck();
                return;
            }
            finished = true;
        }
        // A read is still demanded: Jetty closes the connection once the response completes with one pending.
        next.refused(refusal);
    }

    /** Guarded by this. */
    private WebException tooSlow() {
        return limits.tooSlow(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos), length);
    }
}
