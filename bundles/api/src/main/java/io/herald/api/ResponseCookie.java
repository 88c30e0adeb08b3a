package io.herald.api;

import java.util.Objects;

/**
 * A cookie that an action or middleware sets on the response. The defaults are the safe ones: {@code HttpOnly},
 * {@code SameSite=Lax}, path {@code /}, a session cookie (no {@code Max-Age}). Name, value and path are checked
 * against RFC 6265, so a value taken from a request can never inject a header or a second cookie.
 *
 * @param name a token: letters, digits and {@code !#$%&'*+-.^_`|~}
 * @param value cookie octets: printable ASCII except space, {@code "}, {@code ,}, {@code ;} and {@code \}
 * @param path the path it is sent back on
 * @param maxAgeSeconds seconds until it expires, {@code 0} to delete it at once, negative for a session cookie
 * @param httpOnly whether scripts in the page are denied it
 * @param secure whether it is sent back only over TLS
 * @param sameSite {@code Strict}, {@code Lax} or {@code None}
 * @since 1.1
 */
public record ResponseCookie(String name, String value, String path, long maxAgeSeconds, boolean httpOnly,
        boolean secure, String sameSite) {

    private static final String TOKEN_SEPARATORS = "()<>@,;:\\\"/[]?={} \t";

    /** @throws IllegalArgumentException when a part would break the {@code Set-Cookie} header */
    public ResponseCookie {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(sameSite, "sameSite");
        if (name.isEmpty() || !name.chars().allMatch(c -> c > 0x20 && c < 0x7f && TOKEN_SEPARATORS.indexOf(c) < 0)) {
            throw new IllegalArgumentException("cookie name is not a token: " + printable(name));
        }
        if (!value.chars().allMatch(ResponseCookie::isCookieOctet)) {
            throw new IllegalArgumentException("cookie " + name + " has a character a cookie value may not hold");
        }
        if (!path.startsWith("/") || !path.chars().allMatch(c -> c > 0x1f && c < 0x7f && c != ';')) {
            throw new IllegalArgumentException("cookie " + name + " has an invalid path: " + printable(path));
        }
        if (!sameSite.equals("Strict") && !sameSite.equals("Lax") && !sameSite.equals("None")) {
            throw new IllegalArgumentException("cookie " + name + ": SameSite must be Strict, Lax or None, was "
                    + printable(sameSite));
        }
        if (sameSite.equals("None") && !secure) {
            // Browsers drop a SameSite=None cookie that is not Secure.
            throw new IllegalArgumentException("cookie " + name + ": SameSite=None needs Secure");
        }
    }

    /** A session cookie with the safe defaults: path {@code /}, {@code HttpOnly}, {@code SameSite=Lax}, not Secure. */
    public static ResponseCookie of(String name, String value) {
        return new ResponseCookie(name, value, "/", -1, true, false, "Lax");
    }

    /** A cookie that deletes {@code name} in the client (empty, {@code Max-Age=0}). */
    public static ResponseCookie expired(String name, boolean secure) {
        return new ResponseCookie(name, "", "/", 0, true, secure, "Lax");
    }

    public ResponseCookie withMaxAge(long seconds) {
        return new ResponseCookie(name, value, path, seconds, httpOnly, secure, sameSite);
    }

    public ResponseCookie withSecure(boolean secure) {
        return new ResponseCookie(name, value, path, maxAgeSeconds, httpOnly, secure, sameSite);
    }

    public ResponseCookie withPath(String path) {
        return new ResponseCookie(name, value, path, maxAgeSeconds, httpOnly, secure, sameSite);
    }

    /** The value of the {@code Set-Cookie} header. */
    public String headerValue() {
        StringBuilder header = new StringBuilder(name.length() + value.length() + 48).append(name).append('=')
                .append(value).append("; Path=").append(path);
        if (maxAgeSeconds >= 0) {
            header.append("; Max-Age=").append(maxAgeSeconds);
        }
        if (httpOnly) {
            header.append("; HttpOnly");
        }
        if (secure) {
            header.append("; Secure");
        }
        return header.append("; SameSite=").append(sameSite).toString();
    }

    /** Never logs the value: cookies carry sessions. */
    @Override
    public String toString() {
        return "ResponseCookie[" + name + "]";
    }

    private static boolean isCookieOctet(int c) {
        return c == 0x21 || (c >= 0x23 && c <= 0x2B) || (c >= 0x2D && c <= 0x3A) || (c >= 0x3C && c <= 0x5B)
                || (c >= 0x5D && c <= 0x7E);
    }

    private static String printable(String s) {
        StringBuilder out = new StringBuilder();
        s.chars().limit(64).forEach(c -> {
            if (c < 0x20 || c == 0x7f) {
                out.append(String.format("\\x%02x", c));
            } else {
                out.append((char) c);
            }
        });
        return out.toString();
    }
}
