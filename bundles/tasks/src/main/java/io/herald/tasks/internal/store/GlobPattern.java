package io.herald.tasks.internal.store;

import java.nio.charset.StandardCharsets;

/**
 * Redis's glob-style patterns ({@code KEYS}, {@code SCAN MATCH}), for {@link MemoryResqueStore#scan}, so the embedded
 * store matches keys exactly as Redis does: {@code *} any run, {@code ?} one byte, {@code [abc]}, {@code [^a]},
 * {@code [a-z]} sets, {@code \} escapes the next character. A port of {@code stringmatchlen} (Redis
 * {@code src/util.c}), quirks included: it works on UTF-8 bytes (so {@code ?} is half an {@code é}), compares them as
 * C's signed {@code char}, reads {@code [a-]} as the range from {@code a} to {@code ]}, and lets an unterminated
 * {@code [} take the rest of the pattern.
 */
final class GlobPattern {

    private final byte[] pattern;

    private GlobPattern(byte[] pattern) {
        this.pattern = pattern;
    }

    static GlobPattern compile(String pattern) {
        return new GlobPattern(pattern.getBytes(StandardCharsets.UTF_8));
    }

    boolean matches(String key) {
        return match(0, key.getBytes(StandardCharsets.UTF_8), 0, new boolean[1]);
    }

    /** The pattern byte at {@code i}, or 0 past the end (C's terminating NUL, which stringmatchlen reads). */
    private int at(int i) {
        return i < pattern.length ? pattern[i] : 0;
    }

    private boolean match(int p, byte[] string, int s, boolean[] skipLongerMatches) {
        while (p < pattern.length && s < string.length) {
            switch (at(p)) {
                case '*' -> {
                    while (p < pattern.length && at(p + 1) == '*') {
                        p++;
                    }
                    if (pattern.length - p == 1) {
                        return true;
                    }
                    while (s < string.length) {
                        if (match(p + 1, string, s, skipLongerMatches)) {
                            return true;
                        }
                        if (skipLongerMatches[0]) {
                            return false;
                        }
                        s++;
                    }
                    // no match for the rest anywhere: a longer match of an earlier '*' cannot help either
                    skipLongerMatches[0] = true;
                    return false;
                }
                case '?' -> s++;
                case '[' -> {
                    p++;
                    boolean not = at(p) == '^';
                    if (not) {
                        p++;
                    }
                    boolean match = false;
                    int c = string[s];
                    while (true) {
                        if (at(p) == '\\' && pattern.length - p >= 2) {
                            p++;
                            if (at(p) == c) {
                                match = true;
                            }
                        } else if (at(p) == ']') {
                            break;
                        } else if (p >= pattern.length) {
                            p--;
                            break;
                        } else if (pattern.length - p >= 3 && at(p + 1) == '-') {
                            int start = Math.min(at(p), at(p + 2));
                            int end = Math.max(at(p), at(p + 2));
                            p += 2;
                            if (c >= start && c <= end) {
                                match = true;
                            }
                        } else if (at(p) == c) {
                            match = true;
                        }
                        p++;
                    }
                    if (not) {
                        match = !match;
                    }
                    if (!match) {
                        return false;
                    }
                    s++;
                }
                case '\\' -> {
                    if (pattern.length - p >= 2) {
                        p++;
                    }
                    if (at(p) != string[s]) {
                        return false;
                    }
                    s++;
                }
                default -> {
                    if (at(p) != string[s]) {
                        return false;
                    }
                    s++;
                }
            }
            p++;
            if (s == string.length) {
                while (at(p) == '*') {
                    p++;
                }
                break;
            }
        }
        return p >= pattern.length && s == string.length;
    }
}
