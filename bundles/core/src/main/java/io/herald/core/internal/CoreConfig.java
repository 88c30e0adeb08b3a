package io.herald.core.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;

/**
 * Configuration PID {@code io.herald.core}: the node's identity and the action processor's rules. Read through
 * {@link CoreSettings}, which checks what this metatype cannot express.
 */
@ObjectClassDefinition(name = "Herald core", description = "Server identity and action processing")
public @interface CoreConfig {

    @AttributeDefinition(description = "Server id, used when HERALD_TITLE is not set. Empty: the external IP address."
            + " Read at start only.")
    String id() default "";

    /**
     * {@code .serverToken}: the leading dot keeps it out of the service properties (DS 112.6, the ConfigAdmin
     * convention for private properties); DS publishes every other key of a component's configuration.
     */
    @AttributeDefinition(name = "Server token", type = AttributeType.PASSWORD,
            description = "Shared secret that authenticates messages between nodes (private: written .serverToken).")
    String _serverToken() default "";

    @AttributeDefinition(min = "1",
            description = "Calls one connection may have pending; more are refused (Actionhero's simultaneousActions).")
    int simultaneousActions() default 5;

    @AttributeDefinition(description = "Keep params that actions do not declare.")
    boolean disableParamScrubbing() default false;

    @AttributeDefinition(description = "Show clients the message of unexpected exceptions: auto (all but production),"
            + " true or false.", options = {
                @Option(label = "auto", value = "auto"),
                @Option(label = "true", value = "true"),
                @Option(label = "false", value = "false")})
    String exposeErrors() default "auto";

    @AttributeDefinition(min = "0", description = "How long (ms) a call to an action that just left waits for its"
            + " replacement during a hot deploy.")
    long replacementGraceMillis() default 1500;

    @AttributeDefinition(min = "1", max = "100", description = "Heap use (percent of the maximum) above which the"
            + " node is unhealthy.")
    int maxHeapPercent() default 90;

    @AttributeDefinition(min = "100", description = "How often (ms) this node tells the other cluster members it is"
            + " alive.")
    long clusterHeartbeatMillis() default 5000;

    @AttributeDefinition(min = "200", description = "After how long (ms) without a message a cluster member that did"
            + " not say goodbye is forgotten. Longer than the heartbeat.")
    long clusterMemberTimeoutMillis() default 15000;

    @AttributeDefinition(description = "The project's name, shown by the status action (Actionhero: package.json's"
            + " name). Empty: herald.")
    String projectName() default ProjectInfo.DEFAULT_NAME;

    @AttributeDefinition(description = "The project's description, shown by the status action (Actionhero:"
            + " package.json's description).")
    String projectDescription() default ProjectInfo.DEFAULT_DESCRIPTION;

    @AttributeDefinition(description = "The project's version, shown by the status action (Actionhero: package.json's"
            + " version). Empty: Herald's version.")
    String projectVersion() default "";

    @AttributeDefinition(min = "0", description = "Jobs waiting in the task queues above which the status action says"
            + " the node is Unhealthy (Actionhero's maxResqueQueueLength).")
    long maxResqueQueueLength() default 1000;
}
