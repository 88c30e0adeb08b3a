package io.herald.core.internal;

import java.util.Map;

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
 */
final class ActionLog {

    private static final Logger LOG = LoggerFactory.getLogger("io.herald.action");

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
                .append(result.version()).append(" params=").append(redactor == null ? params.keySet() : redactor.params(params)).append(" status=")
                .append(result.status()).append(" duration=");
        appendMillis(line, result.durationNanos());
        if (result.error() != null) {
            line.append(" error=\"").append(result.error()).append('"');
        }
        if (reference != null) {
            line.append(" reference=").append(reference);
        }
        if (serverFault) {
            LOG.error(line.toString(), failure);
        } else {
            log(logLevel, line.toString());
        }
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
