package io.herald.middleware.params.internal;

import java.util.List;
import java.util.Map;

import io.herald.core.properties.InvalidPropertyException;
import io.herald.core.properties.ServiceProperties;

/**
 * The configuration of PID {@code io.herald.middleware.params}, read and checked. An absent key takes the
 * {@link ParamsConfig} default; a {@code filtered} key that is present but empty filters nothing.
 *
 * @param enabled whether the redactor and the limits run
 */
record ParamsSettings(boolean enabled, RedactionRules redaction, ParamLimits limits) {

    static final List<String> DEFAULT_FILTERED = List.of("password", "passwordConfirmation", "token", "secret", "apiKey",
            "authorization", "*Secret", "*Token", "*Password");

    static final ParamsSettings DEFAULTS = from(Map.of());

    /** @throws InvalidPropertyException naming the key, the value and what is accepted */
    static ParamsSettings from(Map<String, ?> config) {
        boolean enabled = ServiceProperties.bool(config, "enabled", true);
        KeyPatterns filtered = patterns(config, "filtered", DEFAULT_FILTERED);
        KeyPatterns filteredResponse = patterns(config, "filteredResponse", List.of());
        RedactionRules redaction = new RedactionRules(filtered, filteredResponse,
                atLeastOne(config, "maxLogStringLength", 256, Integer.MAX_VALUE),
                atLeastOne(config, "maxLogArrayLength", 10, Integer.MAX_VALUE),
                atLeastOne(config, "maxLogDepth", 8, 1000));
        long maxParamLength = ServiceProperties.longValue(config, "maxParamLength", ParamLimits.DEFAULTS.maxParamLength());
        if (maxParamLength < 1) {
            throw new InvalidPropertyException("maxParamLength", "maxParamLength must be at least 1, was " + maxParamLength);
        }
        ParamLimits limits = new ParamLimits(
                atLeastOne(config, "maxParams", ParamLimits.DEFAULTS.maxParams(), Integer.MAX_VALUE),
                maxParamLength,
                // the walk recurses once per level: bounded so a setting cannot overflow a request thread's stack
                atLeastOne(config, "maxParamDepth", ParamLimits.DEFAULTS.maxParamDepth(), 1000));
        return new ParamsSettings(enabled, redaction, limits);
    }

    private static KeyPatterns patterns(Map<String, ?> config, String key, List<String> fallback) {
        List<String> given = config.containsKey(key) ? ServiceProperties.strings(config, key) : fallback;
        try {
            return KeyPatterns.of(given);
        } catch (IllegalArgumentException e) {
            throw new InvalidPropertyException(key, key + ": " + e.getMessage() + "; use names and globs with *");
        }
    }

    private static int atLeastOne(Map<String, ?> config, String key, int fallback, int max) {
        int value = ServiceProperties.integer(config, key, fallback);
        if (value < 1 || value > max) {
            throw new InvalidPropertyException(key, key + " must be between 1 and " + max + ", was " + value);
        }
        return value;
    }
}
