package io.herald.server.web.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.util.thread.Invocable;

/**
 * A request's content that fails once more than {@code max} bytes have come, so that a multipart body without a
 * {@code Content-Length} (chunked) is cut off while it is read, never written to disk whole. Its failures are kept
 * here, not passed to the request: the rest of a refused body is then still there for {@link BodyDrain}.
 *
 * <p>It also counts what has come ({@link #received}) and can be ended from outside while its reader waits for more
 * ({@link #abort}): the slow-body check of {@link MultipartBody} ends an upload that arrives too slowly through the
 * parser's own failure path, so the files written so far are deleted by the parser and the request is answered once.
 */
final class LimitedSource implements Content.Source {

    /** The body passed {@code max} bytes. */
    static final class TooLarge extends RuntimeException {

        private static final long serialVersionUID = 1L;

        TooLarge() {
            super("the body is larger than the limit", null, false, false);
        }
    }

    private final Content.Source in;
    private final long max;
    /** Written by the reader only; read by the slow-body check. */
    private volatile long read;
    private volatile Throwable failure;
    /** The reader's demand while it waits for more; taken by whoever runs it (more content, or an abort), once. */
    private final AtomicReference<Runnable> pending = new AtomicReference<>();
    /** Tasks for when the reader's call under way on this thread has returned ({@link #afterRead}). */
    private static final ThreadLocal<List<Runnable>> AFTER_READ = new ThreadLocal<>();

    LimitedSource(Content.Source in, long max) {
        this.in = in;
        this.max = max;
    }

    @Override
    public Content.Chunk read() {
        Throwable failed = failure;
        if (failed != null) {
            return Content.Chunk.from(failed, true);
        }
        Content.Chunk chunk = in.read();
        if (chunk == null || Content.Chunk.isFailure(chunk)) {
            return chunk;
        }
        long total = read + chunk.remaining();
        read = total;
        if (total > max) {
            chunk.release();
            TooLarge tooLarge = new TooLarge();
            failure = tooLarge;
            return Content.Chunk.from(tooLarge, true);
        }
        return chunk;
    }

    @Override
    public void demand(Runnable demandCallback) {
        // Set before the failure is looked at, as abort sets the failure before it looks here: one of the two runs it.
        pending.set(demandCallback);
        if (failure != null) {
            runPending();
            return;
        }
        // The reader's invocation type is kept, so Jetty runs it where the reader asked to be run.
        in.demand(Invocable.from(Invocable.getInvocationType(demandCallback), this::runPending));
    }

    private void runPending() {
        Runnable callback = pending.getAndSet(null);
        if (callback == null) {
            return;
        }
        List<Runnable> outer = AFTER_READ.get();
        List<Runnable> after = outer == null ? new ArrayList<>() : outer;
        if (outer == null) {
            AFTER_READ.set(after);
        }
        try {
            callback.run();
        } finally {
            if (outer == null) {
                AFTER_READ.remove();
                after.forEach(Runnable::run);
            }
        }
    }

    /**
     * Runs {@code task} once the reader's call under way on this thread has returned, or now when none is. Jetty's
     * multipart parser completes its future first and deletes the files of a failed body only after, on the same
     * thread: an answer sent from the completion would reach the client while the files are still there.
     */
    static void afterRead(Runnable task) {
        List<Runnable> after = AFTER_READ.get();
        if (after == null) {
            task.run();
        } else {
            after.add(task);
        }
    }

    @Override
    public void fail(Throwable cause) {
        if (failure == null) {
            failure = cause;
        }
    }

    /** Fails the content now: a reader waiting for more is called at once and reads {@code cause}. */
    void abort(Throwable cause) {
        fail(cause);
        runPending();
    }

    /** The bytes read so far. */
    long received() {
        return read;
    }

    @Override
    public long getLength() {
        return in.getLength();
    }
}
