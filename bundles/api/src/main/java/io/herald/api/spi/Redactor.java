package io.herald.api.spi;

import java.util.Map;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Makes params and responses fit for a log line, an error report or a status output: secret values replaced by
 * {@code [FILTERED]}. The param-filtering bundle provides it; while none runs, the core and the task processor log
 * param names without their values.
 *
 * @since 1.4
 */
@ConsumerType
public interface Redactor {

    /** The value logged in place of a filtered one. */
    String FILTERED = "[FILTERED]";

    /** A copy of {@code params} with filtered values replaced, at any depth. */
    Map<String, Object> params(Map<String, ?> params);

    /** A copy of {@code response} with filtered keys replaced, at any depth. */
    Map<String, Object> response(Map<String, ?> response);
}
