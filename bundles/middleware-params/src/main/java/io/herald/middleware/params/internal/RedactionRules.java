package io.herald.middleware.params.internal;

/**
 * What the redactor filters and how much of the rest it renders.
 *
 * @param params keys whose values are filtered in params (Actionhero's {@code filteredParams})
 * @param response keys whose values are filtered in responses (Actionhero's {@code filteredResponse})
 * @param maxStringLength characters of a string rendered before it is cut (Actionhero's {@code maxLogStringLength})
 * @param maxArrayLength items of a list rendered before it is cut (Actionhero's {@code maxLogArrayLength}); entries
 *     of a map are cut at {@link #MAX_ENTRIES}
 * @param maxDepth levels of nested maps and lists rendered; deeper ones are replaced by a marker
 */
record RedactionRules(KeyPatterns params, KeyPatterns response, int maxStringLength, int maxArrayLength, int maxDepth) {

    /** Entries of one map rendered: as many params as the limits accept by default. */
    static final int MAX_ENTRIES = 100;
}
