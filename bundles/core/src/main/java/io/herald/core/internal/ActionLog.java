package io.herald.core.internal;

import java.util.Map;

import io.herald.core.LogText;
import io.herald.api.Connection;
import io.herald.api.spi.ActionResult;
import io.herald.api.spi.Redactor;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
 */
final class ActionLog {

    private static final Logger LOG = LoggerFactory.getLogger("io.herald.action");
    static final int MAX_NAME_LENGTH = 100;
    static final int MAX_NAMES = 50;

    private ActionLog() {
    }

    static void completed(ActionResult result, Connection connection, Map<String, Object> params, String logLevel,
            Redactor redactor, Throwable failure, String reference) {
        boolean serverFault = result.status() >= 500 && !result.isSuccess();
        if (!serverFault && !enabled(logLevel)) {
            return;
        }
        // Built by hand: String.format cost more than the rest of a small action's call (measured with JFR).
        StringBuilder line = new StringBuilder(160).append("[action @ ").append(connection.type()).append("] to=")
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
        String text = escape(line);
        if (serverFault) {
            LOG.error(text, failure);
        } else {
            log(logLevel, text);
        }
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
