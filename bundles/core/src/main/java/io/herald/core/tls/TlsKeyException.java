package io.herald.core.tls;

/**
 * Key material that cannot be used, naming the configuration property whose file or password is wrong. The message is
 * {@code <property>: <reason>}; {@link #reason()} alone suits {@code ConfigurationException(property, reason)}.
 */
public final class TlsKeyException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final String property;
    private final String reason;

    /**
     * @param property the configuration property at fault
     * @param reason what is wrong with it and what is accepted, without the property's name
     */
    public TlsKeyException(String property, String reason) {
        super(property + ": " + reason);
        this.property = property;
        this.reason = reason;
    }

    /** The configuration property at fault. */
    public String property() {
        return property;
    }

    /** What is wrong, without the property's name. */
    public String reason() {
        return reason;
    }
}
