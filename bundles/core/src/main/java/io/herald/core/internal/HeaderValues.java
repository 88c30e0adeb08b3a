package io.herald.core.internal;

/** The rules for a response header that an action or middleware sets (RFC 9110's field name and field value). */
final class HeaderValues {

    private static final String TOKEN_SEPARATORS = "()<>@,;:\\\"/[]?={} \t";

    private HeaderValues() {
    }

    /** @throws IllegalArgumentException naming the header when the name or the value is not allowed */
    static void check(String name, String value) {
        if (name == null || name.isEmpty()
                || !name.chars().allMatch(c -> c > 0x20 && c < 0x7f && TOKEN_SEPARATORS.indexOf(c) < 0)) {
            throw new IllegalArgumentException("a response header name must be a token, was \"" + name + "\"");
        }
        if (value == null) {
            throw new IllegalArgumentException("response header " + name + " has no value");
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            // CR, LF and NUL would end the header; other controls are refused by RFC 9110 as well (tab is allowed).
            if ((c < 0x20 && c != '\t') || c == 0x7f) {
                throw new IllegalArgumentException("response header " + name + " holds a control character");
            }
        }
    }
}
