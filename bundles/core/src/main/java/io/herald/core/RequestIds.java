package io.herald.core;

/**
 * Request ids that correlate a call across the logs of a client, its proxies and the node: the web transport takes the
 * client's {@code X-Request-Id} when it is one (as Heroku's router and Rails' {@code ActionDispatch::RequestId} do),
 * else makes its own. A client's id is kept only when it is short and made of safe characters, so it can neither bloat
 * nor forge a log line, nor break a header it is echoed in.
 *
 * @since 1.3
 */
public final class RequestIds {

    /** The header the web transport reads and echoes. */
    public static final String HEADER = "X-Request-Id";
    /** The longest id kept (Heroku's router accepts 20 to 200 characters). */
    public static final int MAX_LENGTH = 200;

    private RequestIds() {
    }

    /**
     * Whether {@code id} may be used as it is: 1 to {@value #MAX_LENGTH} characters, each a letter or digit of ASCII or
     * one of {@code - _ . : @ + / =} (UUIDs, hex, base64 and the ids proxies make).
     */
    public static boolean valid(CharSequence id) {
        if (id == null || id.isEmpty() || id.length() > MAX_LENGTH) {
            return false;
        }
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            boolean safe = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '_' || c == '.' || c == ':' || c == '@' || c == '+' || c == '/' || c == '=';
            if (!safe) {
                return false;
            }
        }
        return true;
    }

    /** {@code candidate} when it is {@link #valid}, else {@code fallback}. */
    public static String orElse(String candidate, String fallback) {
        return valid(candidate) ? candidate : fallback;
    }
}
