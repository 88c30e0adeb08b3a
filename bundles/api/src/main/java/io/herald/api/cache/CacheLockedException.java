package io.herald.api.cache;

/**
 * A key is locked by another owner (Actionhero's "Object locked").
 *
 * @since 1.0
 */
public class CacheLockedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String key;

    public CacheLockedException(String key) {
        super("Object locked: \"" + key + "\" is locked by another owner");
        this.key = key;
    }

    public String key() {
        return key;
    }
}
