package io.herald.middleware.params.internal;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import io.herald.core.LogText;

/**
 * The keys whose values are filtered: names and glob patterns ({@code *} stands for any run of characters, also none),
 * matched without regard to case, as Actionhero's {@code filteredParams} names params ({@code password} also filters
 * {@code Password}; {@code *Token} filters {@code accessToken} and {@code token}).
 */
final class KeyPatterns {

    static final KeyPatterns NONE = new KeyPatterns(List.of());

    private final List<String> patterns;
    private final Set<String> names = new HashSet<>();
    private final List<String> globs = new ArrayList<>();

    private KeyPatterns(List<String> patterns) {
        this.patterns = List.copyOf(patterns);
        for (String pattern : patterns) {
            String lower = pattern.toLowerCase(Locale.ROOT);
            if (lower.indexOf('*') >= 0) {
                globs.add(lower);
            } else {
                names.add(lower);
            }
        }
    }

    /**
     * @param patterns names and globs, each trimmed; blank ones are ignored
     * @throws IllegalArgumentException for a pattern with a control character, naming it
     */
    static KeyPatterns of(List<String> patterns) {
        List<String> kept = new ArrayList<>();
        for (String pattern : patterns) {
            String trimmed = pattern.trim();
            if (trimmed.isEmpty()) {
                continue;
            }
            for (int i = 0; i < trimmed.length(); i++) {
                if (Character.isISOControl(trimmed.charAt(i))) {
                    throw new IllegalArgumentException("\"" + LogText.escape(trimmed) + "\" holds a control character");
                }
            }
            kept.add(trimmed);
        }
        return new KeyPatterns(kept);
    }

    boolean matches(String key) {
        if (names.isEmpty() && globs.isEmpty()) {
            return false;
        }
        String lower = key.toLowerCase(Locale.ROOT);
        if (names.contains(lower)) {
            return true;
        }
        for (String glob : globs) {
            if (glob(glob, lower)) {
                return true;
            }
        }
        return false;
    }

    boolean isEmpty() {
        return patterns.isEmpty();
    }

    List<String> patterns() {
        return patterns;
    }

    /**
     * Whether {@code text} matches {@code glob}, in which only {@code *} is special: the classic linear wildcard match
     * that, on a mismatch, lets the last star absorb one more character.
     */
    static boolean glob(String glob, String text) {
        int g = 0;
        int t = 0;
        int star = -1;
        int resume = 0;
        while (t < text.length()) {
            if (g < glob.length() && glob.charAt(g) == '*') {
                star = g++;
                resume = t;
            } else if (g < glob.length() && glob.charAt(g) == text.charAt(t)) {
                g++;
                t++;
            } else if (star >= 0) {
                g = star + 1;
                t = ++resume;
            } else {
                return false;
            }
        }
        while (g < glob.length() && glob.charAt(g) == '*') {
            g++;
        }
        return g == glob.length();
    }

    @Override
    public String toString() {
        return String.join(", ", patterns);
    }
}
