package io.herald.server.web.internal;

import org.eclipse.jetty.io.Content;

/**
 * A request's content that fails once more than {@code max} bytes have come, so that a multipart body without a
 * {@code Content-Length} (chunked) is cut off while it is read, never written to disk whole. Its failures are kept
 * here, not passed to the request: the rest of a refused body is then still there for {@link BodyDrain}.
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
    private long read;
    private volatile Throwable failure;

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
        read += chunk.remaining();
        if (read > max) {
            chunk.release();
            TooLarge tooLarge = new TooLarge();
            failure = tooLarge;
            return Content.Chunk.from(tooLarge, true);
        }
        return chunk;
    }

    @Override
    public void demand(Runnable demandCallback) {
        if (failure != null) {
            demandCallback.run();
            return;
        }
        in.demand(demandCallback);
    }

    @Override
    public void fail(Throwable cause) {
        if (failure == null) {
            failure = cause;
        }
    }

    @Override
    public long getLength() {
        return in.getLength();
    }
}
