package io.herald.core.properties;

/**
 * A configuration or service property whose value is not accepted. It names the property, so that a component can report it as {@code org.osgi.service.cm.ConfigurationException(property, reason)}, which the launcher
 * turns into one line naming the environment variable behind it.
 */
public final class InvalidPropertyException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final String property;

    /**
     * @param property the property's name
     * @param message what was given and what is accepted, naming the property
     */
    public InvalidPropertyException(String property, String message) {
        super(message);
        this.property = property;
    }

    public String property() {
        return property;
    }
}
