package io.herald.tasks.internal.engine;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.osgi.framework.Constants;

import io.herald.api.Inputs;
import io.herald.api.task.Task;
import io.herald.core.properties.ServiceProperties;
import io.herald.tasks.internal.plugins.BuiltInPlugins;

/**
 * One task as registered: the service object, its metadata read from the {@code herald.task.*} service properties, and
 * what it declares (inputs, plugin options), asked for once at registration as the core does for actions.
 *
 * <p>A recurring task ({@code frequency > 0}) gets {@code DelayQueueLock}, {@code QueueLock} and {@code JobLock}
 * appended to its plugins, with {@code JobLock}'s {@code reEnqueue} off, as Actionhero's {@code jobWrapper} does (in
 * another order, see below): the cluster then holds one instance of the job at a time, and a second copy that meets a
 * running one is dropped rather than delayed (the running one enqueues the next run itself).
 */
public final class RegisteredTask {

    private final Task task;
    private final String name;
    private final String description;
    private final String queue;
    private final long frequency;
    private final List<String> plugins;
    private final List<String> middleware;
    private final boolean reEnqueuePeriodicTaskIfException;
    private final Inputs inputs;
    private final Map<String, Map<String, Object>> pluginOptions;
    private final int ranking;
    private final long order;

    private RegisteredTask(Task task, Map<String, ?> properties, long order) {
        this.task = task;
        this.order = order;
        this.name = ServiceProperties.string(properties, "herald.task.name", null);
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("task " + task.getClass().getName()
                    + " has no herald.task.name property: annotate it with @TaskDefinition");
        }
        String text = ServiceProperties.string(properties, "herald.task.description", "");
        this.description = text.isEmpty() ? name : text;
        String declaredQueue = ServiceProperties.string(properties, "herald.task.queue", "default").trim();
        this.queue = declaredQueue.isEmpty() ? "default" : declaredQueue;
        this.frequency = ServiceProperties.longValue(properties, "herald.task.frequency", 0);
        if (frequency < 0) {
            throw new IllegalArgumentException("task " + name + ": frequency must be 0 or more milliseconds, was "
                    + frequency);
        }
        this.middleware = ServiceProperties.strings(properties, "herald.task.middleware");
        this.reEnqueuePeriodicTaskIfException = ServiceProperties.bool(properties,
                "herald.task.reEnqueuePeriodicTaskIfException", true);
        this.ranking = ServiceProperties.integer(properties, Constants.SERVICE_RANKING, 0);
        Inputs declared = task.inputs();
        this.inputs = declared == null ? Inputs.none() : declared;

        List<String> declaredPlugins = new ArrayList<>(ServiceProperties.strings(properties, "herald.task.plugins"));
        Map<String, Map<String, Object>> options = new LinkedHashMap<>();
        Map<String, Map<String, Object>> given = task.pluginOptions();
        if (given != null) {
            given.forEach((plugin, values) -> options.put(plugin,
                    values == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(values))));
        }
        if (frequency > 0) {
            // Actionhero appends JobLock, QueueLock, DelayQueueLock; Herald appends DelayQueueLock, QueueLock, JobLock.
            // In Actionhero's order a QueueLock lock can outlive the copy it was taken for, and a lock that guards no
            // queued copy makes the scheduler drop the task's next run when it comes due (a stopped task for the lock's
            // hour): node-resque stops a step at the first plugin that declines, so
            // - enqueue: QueueLock takes its lock, then DelayQueueLock declines a copy of a delayed job (a scheduler
            //   starting elsewhere enqueues the task while it is delayed). Declining first takes no lock;
            // - perform: JobLock declines a copy that meets a run in progress (enqueued by a scheduler starting
            //   elsewhere during the run, taken by an idle worker at once) before QueueLock's beforePerform releases
            //   the lock. Released first, the lock goes whenever a copy leaves the queue for a worker.
            for (String lock : List.of(BuiltInPlugins.DELAY_QUEUE_LOCK, BuiltInPlugins.QUEUE_LOCK, BuiltInPlugins.JOB_LOCK)) {
                if (!declaredPlugins.contains(lock)) {
                    declaredPlugins.add(lock);
                }
            }
            Map<String, Object> jobLock = new LinkedHashMap<>(options.getOrDefault(BuiltInPlugins.JOB_LOCK, Map.of()));
            jobLock.put("reEnqueue", false);
            options.put(BuiltInPlugins.JOB_LOCK, Collections.unmodifiableMap(jobLock));
        }
        this.plugins = List.copyOf(declaredPlugins);
        this.pluginOptions = Collections.unmodifiableMap(options);
    }

    /**
     * @param order registration order (the service id under OSGi): among registrations of one name with the same
     *     {@code service.ranking}, the highest order answers
     * @throws IllegalArgumentException when the metadata is unusable; the message says why
     */
    public static RegisteredTask of(Task task, Map<String, ?> properties, long order) {
        return new RegisteredTask(task, properties, order);
    }

    public Task task() {
        return task;
    }

    public String name() {
        return name;
    }

    public String description() {
        return description;
    }

    /** The queue its jobs go to unless the caller names another. */
    public String queue() {
        return queue;
    }

    /** Milliseconds between runs; 0 for a task that runs only when enqueued. */
    public long frequency() {
        return frequency;
    }

    public boolean recurring() {
        return frequency > 0;
    }

    /** The plugins its jobs run through, in order, including the locks a recurring task gets. */
    public List<String> plugins() {
        return plugins;
    }

    public List<String> middleware() {
        return middleware;
    }

    public boolean reEnqueuePeriodicTaskIfException() {
        return reEnqueuePeriodicTaskIfException;
    }

    public Inputs inputs() {
        return inputs;
    }

    /** The options of one plugin for this task (node-resque's {@code pluginOptions[name]}), never {@code null}. */
    public Map<String, Object> pluginOptions(String plugin) {
        return pluginOptions.getOrDefault(plugin, Map.of());
    }

    int ranking() {
        return ranking;
    }

    long order() {
        return order;
    }

    @Override
    public String toString() {
        return name + " (queue " + queue + (frequency > 0 ? ", every " + frequency + " ms" : "") + ", "
                + task.getClass().getName() + ")";
    }
}
