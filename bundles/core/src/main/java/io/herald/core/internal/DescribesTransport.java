package io.herald.core.internal;

/**
 * A cluster bus that can say which transport carries it. The {@code ClusterBus} API leaves the transport out on purpose
 * (code using the bus must not depend on it), but operators reading the {@code status} action need to see it.
 */
public interface DescribesTransport {

    /** The transport's {@code describe()}, e.g. {@code in-process}, or {@code none} when the bus has no transport. */
    String transportDescription();
}
