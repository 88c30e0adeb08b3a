package io.herald.core.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Configuration PID {@code io.herald.core}: the node's identity and the action processor's rules. */
@ObjectClassDefinition(name = "Herald core", description = "Server identity and action processing")
public @interface CoreConfig {

    @AttributeDefinition(description = "Server id, used when HERALD_TITLE is not set. Empty: the external IP address.")
    String id() default "";

    @AttributeDefinition(description = "Shared secret that authenticates messages between nodes.")
    String serverToken() default "";

    @AttributeDefinition(description = "Calls one connection may have pending; more are refused (Actionhero's simultaneousActions).")
    int simultaneousActions() default 5;

    @AttributeDefinition(description = "Keep params that actions do not declare.")
    boolean disableParamScrubbing() default false;

    @AttributeDefinition(description = "Show clients the message of unexpected exceptions: auto (all but production), true or false.")
    String exposeErrors() default "auto";

    @AttributeDefinition(description = "Params whose values are masked in the log.")
    String[] filteredParams() default {"password"};

    @AttributeDefinition(description = "How long (ms) a call to an action that just left waits for its replacement during a hot deploy.")
    long replacementGraceMillis() default 1500;

    @AttributeDefinition(description = "Heap use (percent of the maximum) above which the status action reports the node unhealthy.")
    int maxHeapPercent() default 90;

    @AttributeDefinition(description = "How often (ms) this node tells the other cluster members it is alive.")
    long clusterHeartbeatMillis() default 5000;

    @AttributeDefinition(description = "After how long (ms) without a message a cluster member that did not say goodbye is forgotten. Longer than the heartbeat.")
    long clusterMemberTimeoutMillis() default 15000;
}
