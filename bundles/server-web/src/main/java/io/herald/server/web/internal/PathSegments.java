package io.herald.server.web.internal;

import java.util.ArrayList;
import java.util.List;

/** Splits URL paths into segments. Empty segments ({@code //}, a trailing {@code /}) are dropped, as Actionhero does. */
final class PathSegments {

    private PathSegments() {
    }

    /** The raw (still percent-encoded) segments of {@code path}. */
    static List<String> split(String path) {
        List<String> segments = new ArrayList<>(6);
        int length = path == null ? 0 : path.length();
        int start = 0;
        while (start < length) {
            int end = path.indexOf('/', start);
            if (end < 0) {
                end = length;
            }
            if (end > start) {
                segments.add(path.substring(start, end));
            }
            start = end + 1;
        }
        return segments;
    }

    /** Whether {@code segments} begins with {@code prefix}, segment by segment ({@code /apiary} is not under {@code /api}). */
    static boolean startsWith(List<String> segments, List<String> prefix) {
        if (segments.size() < prefix.size()) {
            return false;
        }
        for (int i = 0; i < prefix.size(); i++) {
            if (!segments.get(i).equals(prefix.get(i))) {
                return false;
            }
        }
        return true;
    }

    /**
     * Decodes {@code raw[from..]}. {@code +} becomes a space, as Actionhero's router decodes route params.
     */
    static List<String> decode(List<String> raw, int from) throws WebException {
        List<String> decoded = new ArrayList<>(raw.size() - from);
        for (int i = from; i < raw.size(); i++) {
            String segment = raw.get(i);
            decoded.add(PercentDecoder.decode(segment, 0, segment.length(), true, "the path"));
        }
        return decoded;
    }
}
