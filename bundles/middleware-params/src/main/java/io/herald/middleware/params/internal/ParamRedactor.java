package io.herald.middleware.params.internal;

import java.lang.reflect.Array;
import java.time.temporal.TemporalAccessor;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

import io.herald.core.LogText;
import io.herald.api.UploadedFile;

import io.herald.api.spi.Redactor;

/**
 * The {@link Redactor} of this bundle: a copy of the params (or response) in which the value of every key that the
 * configured patterns match, at any depth, is {@link Redactor#FILTERED}, and in which the rest is bounded so a log line
 * stays of bounded length: strings cut, lists and maps cut, deep nesting replaced by a marker
 * (Actionhero's {@code filterObjectForLogging} with {@code maxLogStringLength} and {@code maxLogArrayLength}). The
 * input is never changed. Strings are not escaped here: the core's text action line escapes the whole line and the
 * JSON encoder escapes each value, so escaping here too would log a newline as {@code \\n} in JSON logs.
 *
 * <p>Values other than maps, lists, arrays, strings, numbers, booleans, enums, dates and UUIDs are rendered as their
 * type's name only: their {@code toString} (a record's, say) may print a secret field whose name no pattern sees.
 */
final class ParamRedactor implements Redactor {

    private volatile RedactionRules rules;

    ParamRedactor(RedactionRules rules) {
        this.rules = Objects.requireNonNull(rules, "rules");
    }

    /** Later calls use {@code next}; the service stays registered. */
    void configure(RedactionRules next) {
        this.rules = Objects.requireNonNull(next, "rules");
    }

    RedactionRules rules() {
        return rules;
    }

    @Override
    public Map<String, Object> params(Map<String, ?> params) {
        RedactionRules current = rules;
        return map(params, current.params(), current, 0);
    }

    @Override
    public Map<String, Object> response(Map<String, ?> response) {
        RedactionRules current = rules;
        return map(response, current.response(), current, 0);
    }

    private static Map<String, Object> map(Map<?, ?> in, KeyPatterns filter, RedactionRules rules, int depth) {
        Map<String, Object> out = new LinkedHashMap<>();
        if (in == null) {
            return out;
        }
        int rendered = 0;
        for (Map.Entry<?, ?> entry : in.entrySet()) {
            if (rendered == RedactionRules.MAX_ENTRIES) {
                out.put("...", (in.size() - rendered) + " more of " + in.size() + " keys");
                break;
            }
            String key = String.valueOf(entry.getKey());
            Object value = filter.matches(key) ? FILTERED : value(entry.getValue(), filter, rules, depth + 1);
            out.put(LogText.shorten(key, rules.maxStringLength()), value);
            rendered++;
        }
        return out;
    }

    /** @param depth the level {@code value} is at: 1 for a top-level param's value */
    private static Object value(Object value, KeyPatterns filter, RedactionRules rules, int depth) {
        if (value == null || value instanceof Number || value instanceof Boolean) {
            return value;
        }
        if (value instanceof CharSequence || value instanceof Character || value instanceof Enum<?>
                || value instanceof TemporalAccessor || value instanceof UUID) {
            return LogText.shorten(value.toString(), rules.maxStringLength());
        }
        if (value instanceof UploadedFile file) {
            // Logged by what it is, never by where it lies on the server.
            return LogText.shorten(file.toString(), rules.maxStringLength());
        }
        boolean nested = value instanceof Map<?, ?> || value instanceof Collection<?> || value.getClass().isArray();
        if (!nested) {
            return "[" + value.getClass().getSimpleName() + "]";
        }
        if (depth > rules.maxDepth()) {
            return "[nested deeper than " + rules.maxDepth() + " levels]";
        }
        if (value instanceof Map<?, ?> m) {
            return map(m, filter, rules, depth);
        }
        int size = value instanceof Collection<?> c ? c.size() : Array.getLength(value);
        Iterator<?> items = value instanceof Collection<?> c ? c.iterator() : arrayItems(value);
        List<Object> out = new ArrayList<>(Math.min(size, rules.maxArrayLength() + 1));
        for (int i = 0; i < size && items.hasNext(); i++) {
            if (i == rules.maxArrayLength()) {
                out.add("... " + (size - i) + " more of " + size + " items");
                break;
            }
            out.add(value(items.next(), filter, rules, depth + 1));
        }
        return out;
    }

    private static Iterator<Object> arrayItems(Object array) {
        int length = Array.getLength(array);
        return new Iterator<>() {
            private int next;

            @Override
            public boolean hasNext() {
                return next < length;
            }

            @Override
            public Object next() {
                return Array.get(array, next++);
            }
        };
    }
}
