package io.herald.core.internal;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.herald.api.Action;
import io.herald.api.ActionDescriptor;
import io.herald.api.Inputs;
import io.herald.core.properties.ServiceProperties;

/**
 * One action version as registered: the service object, its metadata read from the {@code herald.action.*} service
 * properties, its inputs (asked for once, at registration), and how many calls it is running.
 *
 * <p>The count lets the registry let the calls in flight finish when the action leaves ({@link #retireAndAwaitIdle}):
 * a call {@linkplain #enter() enters} before it uses the action and {@linkplain #exit() exits} when done; once the
 * registration is retired, no call enters any more.
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
    private final List<String> roles;
    private final boolean authenticated;
    private final boolean scrubParams;
    private final Map<String, Object> properties;
    private final long order;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final Object idle = new Object();
    private volatile boolean retired;

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
        this.roles = ServiceProperties.strings(properties, "herald.action.roles");
        this.authenticated = !roles.isEmpty() || ServiceProperties.bool(properties, "herald.action.authenticated", false);
        this.scrubParams = ServiceProperties.bool(properties, "herald.action.scrubParams", true);
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

    /**
     * A call starts using this action.
     *
     * @return false when the action was retired meanwhile: the call must look it up again, and not {@link #exit()}
     */
    boolean enter() {
        inFlight.incrementAndGet();
        // Checked after counting: retireAndAwaitIdle sets the flag before it reads the count, so either it sees this
        // call, or this call sees the flag (both are volatile).
        if (retired) {
            exit();
            return false;
        }
        return true;
    }

    /** A call that {@linkplain #enter() entered} is done with this action. */
    void exit() {
        if (inFlight.decrementAndGet() == 0 && retired) {
            synchronized (idle) {
                idle.notifyAll();
            }
        }
    }

    /** How many calls are using this action now. */
    int inFlight() {
        return inFlight.get();
    }

    /**
     * Lets no new call in and waits until the calls in flight have exited, or until the timeout.
     *
     * @return how many calls were still running when the wait ended (0: all finished)
     */
    int retireAndAwaitIdle(long timeout, TimeUnit unit) throws InterruptedException {
        retired = true;
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        synchronized (idle) {
            while (inFlight.get() > 0) {
                long remaining = deadline - System.nanoTime();
                if (remaining <= 0) {
                    break;
                }
                TimeUnit.NANOSECONDS.timedWait(idle, remaining);
            }
        }
        return inFlight.get();
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
    public boolean authenticated() {
        return authenticated;
    }

    @Override
    public List<String> roles() {
        return roles;
    }

    @Override
    public boolean scrubParams() {
        return scrubParams;
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
