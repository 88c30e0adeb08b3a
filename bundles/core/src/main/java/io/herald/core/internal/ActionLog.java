package io.herald.core.internal;

import java.util.Map;

import io.herald.core.LogText;
import io.herald.api.Connection;
import io.herald.api.spi.ActionResult;
import io.herald.api.spi.Redactor;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;
import org.slf4j.spi.LoggingEventBuilder;

/**
 * The one line logged per call, as Actionhero's {@code [ action @ web ]} line: at the action's {@code logLevel} when it
 * succeeds or the client erred, at {@code error} with the stack trace when the server failed. An action that completes
 * with a 5xx status it chose (the {@code health} action's 503) did not fail: its line keeps its {@code logLevel}.
 *
 * <p>Params are logged as the param-filtering bundle's {@link Redactor} renders them (Actionhero's
 * {@code filteredParams}); while none runs, only their names are: a value is never logged unfiltered.
 *
 * <p>Whatever a client chose (an action name, param names, an error's words) cannot forge a line: control characters,
 * CR and LF among them, are escaped in the whole line, and each param name is cut to {@value #MAX_NAME_LENGTH}
 * characters, at most {@value #MAX_NAMES} names (the Redactor bounds its own output).
 *
 * <p>With JSON logs ({@code HERALD_LOG_FORMAT=json}: the launcher sets {@value #FORMAT_PROPERTY}) the line is an event
 * with fields instead, as Actionhero hands its winston logger the line's data ({@code to}, {@code action},
 * {@code params}, {@code duration}, {@code error}): SLF4J key-value pairs {@code action}, {@code version},
 * {@code status}, {@code durationMs}, {@code to}, {@code params} (the Redactor's map), {@code error} and
 * {@code reference}; {@code connectionId} and {@code requestId} come from the MDC ({@link CallLogContext}), so the
 * action's own lines carry them too. Nothing is escaped here then: the JSON encoder escapes every value once. The text
 * line is built as before, with no event builder, when the format is text.
 */
final class ActionLog {

    private static final Logger LOG = LoggerFactory.getLogger("io.herald.action");
    static final int MAX_NAME_LENGTH = 100;
    static final int MAX_NAMES = 50;
    /** The system property the launcher sets from {@code HERALD_LOG_FORMAT}. */
    static final String FORMAT_PROPERTY = "herald.log.format";
    /** Whether lines are JSON events with fields; read once: the format is chosen when the node starts. */
    static final boolean STRUCTURED = "json".equals(System.getProperty(FORMAT_PROPERTY));

    private ActionLog() {
    }

    static void completed(ActionResult result, Connection connection, Map<String, Object> params, String logLevel,
            Redactor redactor, Throwable failure, String reference, String requestId) {
        boolean serverFault = result.status() >= 500 && !result.isSuccess();
        if (!serverFault && !enabled(logLevel)) {
            return;
        }
        if (STRUCTURED) {
            structured(result, connection, params, logLevel, redactor, failure, reference, serverFault);
            return;
        }
        // Built by hand: String.format cost more than the rest of a small action's call (measured with JFR).
        StringBuilder line = new StringBuilder(200).append("[action @ ").append(connection.type()).append("] to=")
                .append(connection.remoteIp()).append(" action=").append(result.action()).append(" version=")
                .append(result.version()).append(" params=").append(redactor == null ? names(params) : redactor.params(params)).append(" status=")
                .append(result.status()).append(" duration=");
        appendMillis(line, result.durationNanos());
        if (result.error() != null) {
            line.append(" error=\"").append(result.error()).append('"');
        }
        if (reference != null) {
            line.append(" reference=").append(reference);
        }
        if (requestId != null) {
            line.append(" requestId=").append(requestId);
        }
        String text = escape(line);
        if (serverFault) {
            LOG.error(text, failure);
        } else {
            log(logLevel, text);
        }
    }

    /** The line as an event with fields, for the JSON encoder. */
    static void structured(ActionResult result, Connection connection, Map<String, Object> params, String logLevel,
            Redactor redactor, Throwable failure, String reference, boolean serverFault) {
        LoggingEventBuilder event = LOG.atLevel(serverFault ? Level.ERROR : level(logLevel))
                .setMessage("[action @ " + connection.type() + "] " + result.action())
                .addKeyValue("action", result.action())
                .addKeyValue("version", result.version())
                .addKeyValue("status", result.status())
                .addKeyValue("durationMs", Math.max(0, result.durationNanos()) / 1000 / 1000.0)
                .addKeyValue("to", connection.remoteIp())
                .addKeyValue("params", redactor == null ? names(params) : redactor.params(params));
        if (result.error() != null) {
            event.addKeyValue("error", result.error());
        }
        if (reference != null) {
            event.addKeyValue("reference", reference);
        }
        if (serverFault && failure != null) {
            event.setCause(failure);
        }
        event.log();
    }

    /** The param names, bounded: {@code [a, b, ... 3 more]}. */
    static String names(Map<String, Object> params) {
        StringBuilder out = new StringBuilder().append('[');
        int count = 0;
        for (String name : params.keySet()) {
            if (count > 0) {
                out.append(", ");
            }
            if (count == MAX_NAMES) {
                out.append("... ").append(params.size() - count).append(" more");
                break;
            }
            String key = String.valueOf(name);
            out.append(key.length() > MAX_NAME_LENGTH ? key.substring(0, MAX_NAME_LENGTH) + "... (" + key.length() + " chars)" : key);
            count++;
        }
        return out.append(']').toString();
    }

    /** The line with control characters (CR, LF, NUL, ...) and the Unicode line separators escaped. */
    static String escape(CharSequence line) {
        return LogText.escape(line);
    }

    /** Appends nanoseconds as milliseconds with three decimals, e.g. {@code 1.234ms}. */
    static void appendMillis(StringBuilder out, long nanos) {
        long micros = Math.max(0, nanos) / 1000;
        long fraction = micros % 1000;
        out.append(micros / 1000).append('.');
        if (fraction < 100) {
            out.append(fraction < 10 ? "00" : "0");
        }
        out.append(fraction).append("ms");
    }

    private static boolean enabled(String level) {
        return switch (level) {
            case "trace" -> LOG.isTraceEnabled();
            case "debug" -> LOG.isDebugEnabled();
            case "warn", "warning" -> LOG.isWarnEnabled();
            case "error" -> LOG.isErrorEnabled();
            default -> LOG.isInfoEnabled();
        };
    }

    private static Level level(String level) {
        return switch (level) {
            case "trace" -> Level.TRACE;
            case "debug" -> Level.DEBUG;
            case "warn", "warning" -> Level.WARN;
            case "error" -> Level.ERROR;
            default -> Level.INFO;
        };
    }

    private static void log(String level, String line) {
        switch (level) {
            case "trace" -> LOG.trace(line);
            case "debug" -> LOG.debug(line);
            case "warn", "warning" -> LOG.warn(line);
            case "error" -> LOG.error(line);
            default -> LOG.info(line);
        }
    }
}
