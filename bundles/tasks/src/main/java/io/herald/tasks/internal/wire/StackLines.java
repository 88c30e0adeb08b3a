package io.herald.tasks.internal.wire;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;

/** A Java stack trace as the lines JavaScript's {@code err.stack.split("\n")} gives for a failure payload. */
public final class StackLines {

    /** A failure entry is read by people and UIs: a runaway recursion should not write megabytes into Redis. */
    static final int MAX_LINES = 200;
    /** The most characters of one line: an exception's message (its first line) may quote a whole document. */
    static final int MAX_LINE_LENGTH = 1000;

    private StackLines() {
    }

    /** Every line of {@code printStackTrace}, the first being {@code toString()}, indentation removed. */
    public static List<String> of(Throwable error) {
        StringWriter text = new StringWriter();
        error.printStackTrace(new PrintWriter(text));
        List<String> lines = new ArrayList<>();
        for (String line : text.toString().split("\r?\n")) {
            if (lines.size() == MAX_LINES) {
                lines.add("... (stack cut at " + MAX_LINES + " lines)");
                break;
            }
            String trimmed = line.strip();
            if (!trimmed.isEmpty()) {
                lines.add(Payloads.cut(trimmed, MAX_LINE_LENGTH));
            }
        }
        return lines;
    }

    /** {@code lines} with at most {@value #MAX_LINES} lines of at most {@value #MAX_LINE_LENGTH} characters each. */
    static List<String> bounded(List<String> lines) {
        List<String> out = new ArrayList<>(Math.min(lines.size(), MAX_LINES + 1));
        for (String line : lines) {
            if (out.size() == MAX_LINES) {
                out.add("... (stack cut at " + MAX_LINES + " lines)");
                break;
            }
            out.add(Payloads.cut(line, MAX_LINE_LENGTH));
        }
        return out;
    }

    /** The lines after the first, as node-resque's {@code failurePayload} keeps ({@code stack.split("\n").slice(1)}). */
    public static List<String> backtrace(Throwable error) {
        List<String> lines = of(error);
        return lines.isEmpty() ? lines : List.copyOf(lines.subList(1, lines.size()));
    }
}
