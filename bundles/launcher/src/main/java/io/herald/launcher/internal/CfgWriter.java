package io.herald.launcher.internal;

import java.util.Map;
import java.util.regex.Pattern;

/**
 * Writes a staged {@code .cfg} file so that FileInstall reads back exactly the values the launcher computed.
 *
 * <p>FileInstall reads {@code .cfg} files in ISO-8859-1, decodes Java escapes, then runs its own
 * {@code ${...}} substitution and strips backslashes before <code>{</code>, <code>}</code> and
 * <code>\</code>. Values are already expanded here, so they are escaped against both steps: otherwise a
 * password containing <code>${</code> or a Windows path would be altered on the way to ConfigAdmin.
 *
 * <p>FileInstall switches a file to its typed syntax ({@code I"5"}, {@code ["a","b"]}) only when every value
 * is typed; such files are written verbatim, since FileInstall then reads values without unescaping.
 */
final class CfgWriter {

    /** FileInstall's own test for a typed value (felix-utils Properties.PropertiesReader). */
    private static final Pattern TYPED_VALUE =
            Pattern.compile("\\s*[TILFDXSCBilfdxscb]?(\\[[\\S\\s]*\\]|\\{[\\S\\s]*\\}|\"[\\S\\s]*\")\\s*");

    private CfgWriter() {
    }

    /**
     * @param header comment lines written first (without {@code #}), e.g. where the values came from
     */
    static String write(Map<String, String> values, Iterable<String> header) {
        StringBuilder out = new StringBuilder();
        for (String line : header) {
            out.append("# ").append(line.replace('\n', ' ').replace('\r', ' ')).append('\n');
        }
        boolean typed = !values.isEmpty() && values.values().stream().allMatch(v -> TYPED_VALUE.matcher(v).matches());
        for (Map.Entry<String, String> entry : values.entrySet()) {
            out.append(escapeKey(entry.getKey())).append(" = ");
            out.append(typed ? entry.getValue() : escapeValue(entry.getValue()));
            out.append('\n');
        }
        return out.toString();
    }

    private static String escapeValue(String value) {
        StringBuilder protectedFromSubstitution = new StringBuilder(value.length() + 8);
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\\' || c == '{' || c == '}') {
                protectedFromSubstitution.append('\\');
            }
            protectedFromSubstitution.append(c);
        }
        return escapeJava(protectedFromSubstitution.toString(), false);
    }

    private static String escapeKey(String key) {
        return escapeJava(key, true);
    }

    private static String escapeJava(String s, boolean isKey) {
        StringBuilder out = new StringBuilder(s.length() + 8);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean edge = i == 0 || i == s.length() - 1;
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\f' -> out.append("\\f");
                case ' ' -> out.append(isKey || edge ? "\\ " : " ");
                case '=', ':' -> out.append(isKey ? "\\" + c : String.valueOf(c));
                case '#', '!' -> out.append(isKey && i == 0 ? "\\" + c : String.valueOf(c));
                default -> {
                    if (c < 0x20 || c > 0x7e) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.toString();
    }
}
