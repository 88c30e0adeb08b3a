package io.herald.launcher.internal;

/**
 * Configuration that cannot be used: an unparseable line, an unset variable, an unknown role or feature.
 * The message is one line that names the file (or source), the key when there is one, and the cause,
 * because it is printed as-is before the launcher exits.
 */
final class ConfigException extends Exception {

    private static final long serialVersionUID = 1L;

    ConfigException(String message) {
        super(message);
    }

    ConfigException(String message, Throwable cause) {
        super(message, cause);
    }

    /** A problem with one key of one source, e.g. {@code config/io.herald.core.cfg: key serverToken: ...}. */
    static ConfigException forKey(String source, String key, String cause) {
        return new ConfigException(source + ": key " + key + ": " + cause);
    }
}
