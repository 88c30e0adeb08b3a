package io.herald.core.internal;

import java.util.Collections;
import java.util.List;
import java.util.Map;

import io.herald.api.Action;
import io.herald.api.ActionDescriptor;
import io.herald.api.Inputs;

/**
 * One action version as registered: the service object, its metadata read from the {@code herald.action.*} service
 * properties, and its inputs (asked for once, at registration).
 */
final class RegisteredAction implements ActionDescriptor {

    private final Action action;
    private final String name;
    private final int version;
    private final String description;
    private final List<String> middleware;
    private final List<String> blockedConnectionTypes;
    private final String logLevel;
    private final boolean toDocument;
    private final String outputExample;
    private final boolean responseMetadata;
    private final Inputs inputs;
    private final Map<String, Object> properties;
    private final long order;

    private RegisteredAction(Action action, Map<String, Object> properties, long order) {
        this.action = action;
        this.properties = Collections.unmodifiableMap(properties);
        this.order = order;
        this.name = ServiceProperties.string(properties, "herald.action.name", null);
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("action " + action.getClass().getName()
                    + " has no herald.action.name property: annotate it with @ActionDefinition");
        }
        this.version = ServiceProperties.integer(properties, "herald.action.version", 1);
        String text = ServiceProperties.string(properties, "herald.action.description", "");
        this.description = text.isEmpty() ? name : text;
        this.middleware = ServiceProperties.strings(properties, "herald.action.middleware");
        this.blockedConnectionTypes = ServiceProperties.strings(properties, "herald.action.blockedConnectionTypes");
        this.logLevel = ServiceProperties.string(properties, "herald.action.logLevel", "info");
        this.toDocument = ServiceProperties.bool(properties, "herald.action.toDocument", true);
        this.outputExample = ServiceProperties.string(properties, "herald.action.outputExample", "");
        this.responseMetadata = ServiceProperties.bool(properties, "herald.action.responseMetadata", true);
        Inputs declared = action.inputs();
        this.inputs = declared == null ? Inputs.none() : declared;
    }

    /**
     * @param order registration order (the service id under OSGi): among registrations of one name and version the
     *     highest order answers
     * @throws IllegalArgumentException when the metadata is unusable; the message says why
     */
    static RegisteredAction of(Action action, Map<String, Object> properties, long order) {
        return new RegisteredAction(action, properties, order);
    }

    Action action() {
        return action;
    }

    long order() {
        return order;
    }

    boolean blocks(String connectionType) {
        return blockedConnectionTypes.contains(connectionType);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public int version() {
        return version;
    }

    @Override
    public String description() {
        return description;
    }

    @Override
    public List<String> middleware() {
        return middleware;
    }

    @Override
    public List<String> blockedConnectionTypes() {
        return blockedConnectionTypes;
    }

    @Override
    public String logLevel() {
        return logLevel;
    }

    @Override
    public boolean toDocument() {
        return toDocument;
    }

    @Override
    public boolean responseMetadata() {
        return responseMetadata;
    }

    @Override
    public String outputExample() {
        return outputExample;
    }

    @Override
    public Inputs inputs() {
        return inputs;
    }

    @Override
    public Map<String, Object> properties() {
        return properties;
    }

    @Override
    public String toString() {
        return name + " v" + version + " (" + action.getClass().getName() + ")";
    }
}
