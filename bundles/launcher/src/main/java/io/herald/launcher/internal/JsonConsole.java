package io.herald.launcher.internal;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import org.slf4j.LoggerFactory;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import io.herald.launcher.logging.LogFormatEncoder;

/**
 * The launcher's own console lines ({@code Herald ... started: ...}, {@code herald: stopped}, a start failure) as JSON
 * events, once JSON logs are on: a log shipper reading the node's standard output then parses every line. Each line
 * printed to the wrapped stream becomes one event of the logger {@code io.herald.launcher}, encoded by the same
 * {@link LogFormatEncoder} as the log lines (so with the node id and role), at INFO on standard output and WARN on
 * standard error. Lines printed before logging starts (a bad {@code HERALD_LOG_FORMAT} itself) stay text.
 */
final class JsonConsole extends OutputStream {

    static final String LOGGER = "io.herald.launcher";

    private final PrintStream target;
    private final Level level;
    private final Logger logger;
    private final LogFormatEncoder encoder = new LogFormatEncoder();
    private final ByteArrayOutputStream line = new ByteArrayOutputStream(160);

    private JsonConsole(PrintStream target, Level level) {
        this.target = target;
        this.level = level;
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        this.logger = context.getLogger(LOGGER);
        encoder.setContext(context);
        encoder.start();
    }

    /** {@code target} itself unless the format is JSON; call once Logback is initialised. */
    static PrintStream wrap(PrintStream target, boolean error, String format) {
        if (!LogFormatEncoder.JSON.equals(format) || !(LoggerFactory.getILoggerFactory() instanceof LoggerContext)) {
            return target;
        }
        return new PrintStream(new JsonConsole(target, error ? Level.WARN : Level.INFO), true, StandardCharsets.UTF_8);
    }

    @Override
    public synchronized void write(int b) {
        if (b == '\n') {
            emit();
        } else {
            line.write(b);
        }
    }

    @Override
    public synchronized void write(byte[] bytes, int offset, int length) {
        for (int i = offset; i < offset + length; i++) {
            write(bytes[i]);
        }
    }

    @Override
    public synchronized void flush() {
        target.flush();
    }

    private void emit() {
        String text = line.toString(StandardCharsets.UTF_8);
        line.reset();
        if (text.endsWith("\r")) {
            text = text.substring(0, text.length() - 1);
        }
        LoggingEvent event = new LoggingEvent(JsonConsole.class.getName(), logger, level, text, null, null);
        byte[] json = encoder.encode(event);
        target.write(json, 0, json.length);
        target.flush();
    }
}
