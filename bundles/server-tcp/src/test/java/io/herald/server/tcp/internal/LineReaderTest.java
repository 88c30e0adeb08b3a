package io.herald.server.tcp.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class LineReaderTest {

    private final List<String> lines = new ArrayList<>();

    private LineReader.Result read(LineReader reader, String chunk) {
        return reader.read(ByteBuffer.wrap(chunk.getBytes(StandardCharsets.UTF_8)), (bytes, length) -> {
            lines.add(new String(bytes, 0, length, StandardCharsets.UTF_8));
            return true;
        });
    }

    @Test
    void lines_split_across_chunks_and_crlf_are_read_whole() {
        LineReader reader = new LineReader(100);

        assertEquals(LineReader.Result.MORE, read(reader, "sta"));
        assertEquals(LineReader.Result.MORE, read(reader, "tus\r\nparamsView\n\nqu"));

        assertEquals(List.of("status", "paramsView", ""), lines);
        assertEquals(2, reader.pending());
    }

    @Test
    void a_line_over_the_limit_stops_without_holding_more_than_the_limit() {
        LineReader reader = new LineReader(16);

        assertEquals(LineReader.Result.MORE, read(reader, "x".repeat(16) + "\n"));
        assertEquals(LineReader.Result.TOO_LONG, read(reader, "y".repeat(1000)));

        assertEquals(List.of("x".repeat(16)), lines);
        assertEquals(0, reader.pending(), "the partial line is dropped");
    }

    @Test
    void a_sink_that_stops_leaves_the_rest_unread() {
        LineReader reader = new LineReader(100);
        ByteBuffer chunk = ByteBuffer.wrap("quit\nstatus\n".getBytes(StandardCharsets.UTF_8));

        LineReader.Result result = reader.read(chunk, (bytes, length) -> false);

        assertEquals(LineReader.Result.STOPPED, result);
        assertEquals("status\n".length(), chunk.remaining());
    }
}
