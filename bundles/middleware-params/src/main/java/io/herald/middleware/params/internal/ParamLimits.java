package io.herald.middleware.params.internal;

/**
 * The most a call's params may hold: bounds on what the pipeline validates, logs and hands to actions.
 *
 * @param maxParams params per call
 * @param maxParamLength bytes (UTF-8) of the strings of one param: its name, its value, and the keys and strings of
 *     the maps and lists nested in it
 * @param maxParamDepth levels of maps and lists nested in one param's value ({@code {"a":{"b":1}}} is 2 deep)
 */
record ParamLimits(int maxParams, long maxParamLength, int maxParamDepth) {

    static final ParamLimits DEFAULTS = new ParamLimits(100, 64 * 1024, 32);
}
