package io.herald.api.task;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.osgi.annotation.bundle.Requirement;
import org.osgi.service.component.annotations.ComponentPropertyType;

/**
 * The metadata of a {@link Task}. Put it next to {@code @Component}: its elements become service properties prefixed
 * with {@value #PREFIX_}.
 *
 * <p>It also requires Herald's task processor, so a resolver that installs a task bundle pulls it in.
 *
 * @since 1.0
 */
@ComponentPropertyType
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@Requirement(namespace = "osgi.implementation", name = "io.herald.tasks", version = "1.0.0")
public @interface TaskDefinition {

    /** Prefix of the service properties generated from this annotation. */
    String PREFIX_ = "herald.task.";

    /** The task's name: the job's {@code class} in Redis, as in Actionhero. Unique. */
    String name();

    String description() default "";

    /** The queue jobs of this task go to unless the caller names another. */
    String queue() default "default";

    /**
     * Milliseconds between runs of a recurring task; 0 for a task that runs only when enqueued. A recurring task is
     * enqueued when a scheduler starts and again {@code frequency} ms after each run, and gets the {@code JobLock},
     * {@code QueueLock} and {@code DelayQueueLock} plugins so that the cluster holds one instance of it.
     */
    long frequency() default 0;

    /**
     * Names of the plugins run around this task's jobs, in order: built-in {@code Retry}, {@code QueueLock},
     * {@code JobLock}, {@code DelayQueueLock}, or any {@link TaskPlugin} service of that name.
     */
    String[] plugins() default {};

    /** Names of the task middleware this task uses, in addition to the global middleware. */
    String[] middleware() default {};

    /** Whether a recurring task is enqueued again after a run that threw (Actionhero's default: yes). */
    boolean reEnqueuePeriodicTaskIfException() default true;
}
