package io.herald.server.tcp.internal;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Splits the bytes a client sends into lines ({@code \n}, with an optional {@code \r} before it), holding at most
 * {@code maxLineLength} bytes of an unfinished line: a client sending a megabyte without a newline costs the limit, not
 * the megabyte. Not thread-safe: one connection reads at a time.
 */
final class LineReader {

    /** What reading a chunk came to. */
    enum Result {
        /** Every complete line was handed over; the rest waits for more bytes. */
        MORE,
        /** The sink asked to stop (the connection is closing); the rest of the chunk is left unread. */
        STOPPED,
        /** A line is longer than the limit: nothing more can be read on this connection. */
        TOO_LONG
    }

    /** Takes one line, without its line end. */
    interface Sink {

        /** @return false to stop reading (the connection is closing) */
        boolean line(byte[] bytes, int length);
    }

    private static final int INITIAL = 256;
    /** After a long line, a buffer larger than this is given back instead of kept for the connection's lifetime. */
    private static final int KEEP = 4096;

    private final int maxLineLength;
    private byte[] line = new byte[INITIAL];
    private int length;

    LineReader(int maxLineLength) {
        this.maxLineLength = maxLineLength;
    }

    /** Hands every complete line in {@code chunk} to {@code sink}, consuming what it read. */
    Result read(ByteBuffer chunk, Sink sink) {
        while (chunk.hasRemaining()) {
            byte b = chunk.get();
            if (b == '\n') {
                int end = length > 0 && line[length - 1] == '\r' ? length - 1 : length;
                length = 0;
                boolean more = sink.line(line, end);
                if (line.length > KEEP) {
                    line = new byte[INITIAL];
                }
                if (!more) {
                    return Result.STOPPED;
                }
                continue;
            }
            // One byte over the limit is allowed for the '\r' of a line exactly at the limit.
            if (length >= maxLineLength + 1) {
                length = 0;
                line = new byte[INITIAL];
                return Result.TOO_LONG;
            }
            if (length == line.length) {
                line = Arrays.copyOf(line, (int) Math.min((long) maxLineLength + 1, line.length * 2L));
            }
            line[length++] = b;
        }
        return Result.MORE;
    }

    /** Bytes of an unfinished line held now. */
    int pending() {
        return length;
    }
}
