package io.herald.core.internal;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import io.herald.api.Connection;
import io.herald.api.spi.ActionResult;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one line logged per call, as Actionhero's {@code [ action @ web ]} line: at the action's {@code logLevel} when it
 * succeeds or the client erred, at {@code error} with the stack trace when the server failed.
 */
final class ActionLog {

    private static final Logger LOG = LoggerFactory.getLogger("io.herald.action");

    private ActionLog() {
    }

    static void completed(ActionResult result, Connection connection, Map<String, Object> params, String logLevel,
            Set<String> filtered, Throwable failure, String reference) {
        boolean serverFault = result.status() >= 500;
        if (!serverFault && !enabled(logLevel)) {
            return;
        }
        String line = String.format("[action @ %s] to=%s action=%s version=%d params=%s status=%d duration=%.3fms%s%s",
                connection.type(), connection.remoteIp(), result.action(), result.version(), mask(params, filtered),
                result.status(), result.durationNanos() / 1e6, result.error() == null ? "" : " error=\"" + result.error() + "\"",
                reference == null ? "" : " reference=" + reference);
        if (serverFault) {
            LOG.error(line, failure);
        } else {
            log(logLevel, line);
        }
    }

    private static Map<String, Object> mask(Map<String, Object> params, Set<String> filtered) {
        if (filtered.isEmpty()) {
            return params;
        }
        Map<String, Object> masked = new LinkedHashMap<>(params);
        masked.replaceAll((k, v) -> filtered.contains(k) ? "[FILTERED]" : v);
        return masked;
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
