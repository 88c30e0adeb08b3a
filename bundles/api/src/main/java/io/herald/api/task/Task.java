package io.herald.api.task;

import java.util.Map;

import org.osgi.annotation.versioning.ConsumerType;

import io.herald.api.Inputs;

/**
 * One kind of background job, run by a worker from a queue.
 *
 * <p>Register an implementation as a service with a {@link TaskDefinition} carrying its metadata:
 *
 * <pre>{@code
 * @Component
 * @TaskDefinition(name = "sendWelcomeEmail", queue = "mail")
 * public class SendWelcomeEmail implements Task {
 *     public Inputs inputs() {
 *         return Inputs.of(Input.required("email"));
 *     }
 *
 *     public Object run(TaskContext context) {
 *         mailer.send((String) context.param("email"), "Welcome!");
 *         return null;
 *     }
 * }
 * }</pre>
 *
 * <p>As in Actionhero, a job of this task is {@code {"class":"<name>","queue":"<queue>","args":[<params>]}}: the
 * inputs are validated (defaults, formatters, validators, required) when the job is <em>enqueued</em>, so a caller
 * learns of bad params at once. A job that throws ends in the failed queue, unless a plugin such as {@code Retry}
 * enqueues it again.
 *
 * @since 1.0
 */
@ConsumerType
@FunctionalInterface
public interface Task {

    /**
     * Runs one job.
     *
     * @return a result, logged with the job's completion (Actionhero's {@code task.run} result); may be {@code null}
     * @throws Exception to fail the job: it goes to the failed queue with the exception's class and message
     */
    Object run(TaskContext context) throws Exception;

    /** The params this task accepts, validated at enqueue time. Undeclared params are kept, as Actionhero does. */
    default Inputs inputs() {
        return Inputs.none();
    }

    /**
     * Options for the plugins named in {@link TaskDefinition#plugins()}, by plugin name: e.g.
     * {@code Map.of("Retry", Map.of("retryLimit", 3, "retryDelay", 1000))} (node-resque's {@code pluginOptions}).
     */
    default Map<String, Map<String, Object>> pluginOptions() {
        return Map.of();
    }
}
