package io.herald.tasks.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;

/**
 * Configuration PID {@code io.herald.tasks} (optional): the task processor. Empty values take the default of the node's
 * role ({@code herald.role}): {@code web} runs no processor and no scheduler, every other role ({@code worker},
 * {@code all}) runs both. Read by {@link TasksSettings}.
 *
 * <p>As precise as metatype allows, since the launcher checks staged values against it (types, {@code min},
 * {@code options}): what it cannot say (empty or a number; one value against another) {@link TasksSettings} checks.
 */
@ObjectClassDefinition(name = "Herald tasks", description = "Task queues, workers and the scheduler (Resque / node-resque)")
@interface TasksConfig {

    @AttributeDefinition(description = "Queues the workers take jobs from, in priority order; * for every queue.")
    String[] queues() default {"*"};

    @AttributeDefinition(min = "1", description = "Milliseconds an idle worker sleeps between polls, and between pings;"
            + " also the scheduler's cycle (node-resque's timeout).")
    long timeout() default TasksSettings.DEFAULT_TIMEOUT;

    @AttributeDefinition(min = "1", description = "Milliseconds between the worker pool's checks (grow, shrink, ping).")
    long checkTimeout() default TasksSettings.DEFAULT_CHECK_TIMEOUT;

    @AttributeDefinition(description = "Fewest workers: empty or a whole number from 0 to 10000. Empty: 1 (0 on the web"
            + " role).")
    String minTaskProcessors() default "";

    @AttributeDefinition(description = "Most workers: empty or a whole number from 0 to 10000, not below"
            + " minTaskProcessors. Empty: 4 (0 on the web role).")
    String maxTaskProcessors() default "";

    @AttributeDefinition(description = "Run the scheduler (delayed jobs, recurring tasks, stuck workers): true, false, or"
            + " empty for the role's default (off on the web role).", options = {
                @Option(label = "the role's default", value = ""), @Option(label = "on", value = "true"),
                @Option(label = "off", value = "false")})
    String scheduler() default "";

    @AttributeDefinition(min = "0", description = "Milliseconds after which a worker whose ping is that old counts as"
            + " dead; its job goes to the failed queue. Above twice timeout; 0: never.")
    long stuckWorkerTimeout() default TasksSettings.DEFAULT_STUCK_WORKER_TIMEOUT;

    @AttributeDefinition(min = "0", description = "Milliseconds after which a worker that never pings (Ruby Resque,"
            + " Jesque) counts as dead when its job started that long ago; its job goes to the failed queue. 0: never.")
    long silentWorkerTimeout() default TasksSettings.DEFAULT_SILENT_WORKER_TIMEOUT;

    @AttributeDefinition(description = "Enqueue the jobs of dead workers again instead of leaving them in the failed queue.")
    boolean retryStuckJobs() default false;

    @AttributeDefinition(min = "1", description = "Seconds the scheduler leader lock lives without renewal; above twice"
            + " timeout.")
    int leaderLockTimeout() default TasksSettings.DEFAULT_LEADER_LOCK_TIMEOUT;

    @AttributeDefinition(description = "Redis key prefix. Empty: resque ({resque} on a Redis Cluster).")
    String namespace() default "";

    @AttributeDefinition(min = "0", max = "10000", description = "Replicas that must acknowledge each durable write"
            + " (Redis WAIT); 0: none.")
    int waitReplicas() default 0;

    @AttributeDefinition(min = "1", description = "Milliseconds WAIT waits for the replicas.")
    long waitTimeout() default TasksSettings.DEFAULT_WAIT_TIMEOUT;

    @AttributeDefinition(min = "0", description = "Milliseconds jobs in flight may take to finish when the node stops.")
    long shutdownTimeout() default TasksSettings.DEFAULT_SHUTDOWN_TIMEOUT;
}
