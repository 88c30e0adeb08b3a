package io.herald.launcher.internal;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads FileInstall {@code .cfg} text (Java properties syntax) strictly.
 *
 * <p>Unlike {@link java.util.Properties}, a line without a {@code =} or {@code :} separator is an error
 * rather than a key with an empty value or a white-space separated pair: in a config file such a line is
 * almost always a half-edited entry, and failing at start names it. Comments start with
 * {@code #} or {@code !}, a trailing backslash continues the line, Java escapes ({@code \n}, {@code \t},
 * {@code \u00e9}, {@code \=}) are decoded, and surrounding white space of keys and values is dropped.
 */
final class CfgParser {

    private CfgParser() {
    }

    /**
     * @param source names the text in error messages (usually the file path)
     * @return the keys in file order; a repeated key keeps its last value, as java.util.Properties does
     */
    static Map<String, String> parse(String text, String source) throws ConfigException {
        Map<String, String> result = new LinkedHashMap<>();
        String[] lines = text.split("\r\n|\r|\n", -1);
        int i = 0;
        while (i < lines.length) {
            int firstLine = i + 1;
            String line = stripLeading(lines[i++]);
            if (line.isEmpty() || line.charAt(0) == '#' || line.charAt(0) == '!') {
                continue;
            }
            StringBuilder logical = new StringBuilder();
            while (endsWithContinuation(line)) {
                logical.append(line, 0, line.length() - 1);
                if (i >= lines.length) {
                    line = "";
                    break;
                }
                line = stripLeading(lines[i++]);
            }
            logical.append(line);
            parseEntry(logical.toString(), source + ":" + firstLine, result);
        }
        return result;
    }

    private static void parseEntry(String line, String where, Map<String, String> into) throws ConfigException {
        int separator = findSeparator(line);
        if (separator < 0) {
            throw new ConfigException(where + ": cannot parse '" + abbreviate(line) + "' (expected key = value)");
        }
        String key = unescape(line.substring(0, separator).strip(), where);
        if (key.isEmpty()) {
            throw new ConfigException(where + ": empty key in '" + abbreviate(line) + "'");
        }
        String value = unescape(stripTrailingUnescaped(stripLeading(line.substring(separator + 1))), where);
        into.put(key, value);
    }

    /** The first {@code =} or {@code :} not escaped by a backslash. */
    private static int findSeparator(String line) {
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == '=' || c == ':') {
                return i;
            }
        }
        return -1;
    }

    private static boolean endsWithContinuation(String line) {
        int slashes = 0;
        for (int i = line.length() - 1; i >= 0 && line.charAt(i) == '\\'; i--) {
            slashes++;
        }
        return slashes % 2 == 1;
    }

    private static String stripLeading(String s) {
        return s.stripLeading();
    }

    /** Drops trailing white space unless the last space is escaped ({@code "a\ "} keeps its space). */
    private static String stripTrailingUnescaped(String s) {
        int end = s.length();
        while (end > 0 && Character.isWhitespace(s.charAt(end - 1))) {
            int slashes = 0;
            for (int i = end - 2; i >= 0 && s.charAt(i) == '\\'; i--) {
                slashes++;
            }
            if (slashes % 2 == 1) {
                break;
            }
            end--;
        }
        return s.substring(0, end);
    }

    static String unescape(String s, String where) throws ConfigException {
        if (s.indexOf('\\') < 0) {
            return s;
        }
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != '\\' || i == s.length() - 1) {
                out.append(c);
                continue;
            }
            char next = s.charAt(++i);
            switch (next) {
                case 't' -> out.append('\t');
                case 'n' -> out.append('\n');
                case 'r' -> out.append('\r');
                case 'f' -> out.append('\f');
                case 'u' -> {
                    if (i + 4 >= s.length()) {
                        throw new ConfigException(where + ": incomplete \\u escape in '" + abbreviate(s) + "'");
                    }
                    String hex = s.substring(i + 1, i + 5);
                    try {
                        out.append((char) Integer.parseInt(hex, 16));
                    } catch (NumberFormatException e) {
                        throw new ConfigException(where + ": bad \\u escape '\\u" + hex + "'");
                    }
                    i += 4;
                }
                default -> out.append(next);
            }
        }
        return out.toString();
    }

    private static String abbreviate(String line) {
        return line.length() <= 60 ? line : line.substring(0, 57) + "...";
    }
}
