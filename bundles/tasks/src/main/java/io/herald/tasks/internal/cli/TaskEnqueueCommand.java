package io.herald.tasks.internal.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import com.fasterxml.jackson.core.JsonProcessingException;

import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;

import io.herald.api.spi.ParamChecker;
import io.herald.api.task.Task;
import io.herald.api.task.TaskException;
import io.herald.api.task.TaskQueue;
import io.herald.launcher.spi.Command;
import io.herald.tasks.internal.TasksComponent;

/**
 * {@code herald task enqueue --name T [--args JSON] [--queue Q] [--in MS | --at EPOCH_MS]}: Actionhero's
 * {@code actionhero task enqueue --name --args}, against the Redis of a running cluster. The launcher runs it on the
 * role started headless ({@code deploy/}, where tasks live, deployed; the node never declared ready, so no worker or
 * scheduler of this process takes the job). It enqueues through the {@link TaskQueue} service once its jobs go to Redis,
 * so the params are validated exactly as an action's enqueue validates them, and prints the job on one line.
 *
 * <p>Refused (exit 1) when no Redis {@code tasks} connection is configured: the in-process queue dies with this process,
 * and the job with it.
 *
 * <p>The only class of this bundle that names {@code io.herald.launcher.spi}, which the launcher's system bundle exports
 * and this bundle imports optionally: without the launcher (a test framework) nobody asks for the command, and SCR never
 * loads this class.
 */
@Component(service = Command.class, property = Command.NAME + "=" + TaskEnqueueCommand.NAME)
public final class TaskEnqueueCommand implements Command {

    static final String NAME = "task enqueue";
    /** How long it waits for the task processor to use Redis; framework property {@code herald.task.timeout} (ms). */
    private static final long TIMEOUT_MILLIS = 30_000;
    private static final long POLL_MILLIS = 50;
    private static final String REDIS_CONNECTION = "io.herald.redis.RedisConnection";
    private static final String TASK_NAME = "herald.task.name";
    private static final String TASK_QUEUE = "herald.task.queue";

    static final String NO_REDIS = "no Redis is configured (REDIS_HOST, REDIS_SENTINELS or REDIS_CLUSTER_NODES, or host,"
            + " sentinels or clusterNodes in config/io.herald.redis.connection-tasks.cfg): a job enqueued now would live"
            + " only in this process";

    private final BundleContext context;

    @Activate
    public TaskEnqueueCommand(BundleContext context) {
        this.context = context;
    }

    @Override
    public int run(List<String> args, PrintWriter out, PrintWriter err) throws InterruptedException {
        EnqueueRequest request;
        try {
            request = EnqueueRequest.parse(args);
        } catch (IllegalArgumentException e) {
            err.println(e.getMessage());
            return 1;
        }
        String timeout = context.getProperty("herald.task.timeout");
        long timeoutMillis = timeout == null ? TIMEOUT_MILLIS : Long.parseLong(timeout.strip());
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000;
        while (true) {
            ServiceReference<TaskQueue> queue = first(TaskQueue.class, "(" + TasksComponent.STORAGE_PROPERTY + "=redis)");
            if (queue != null) {
                return enqueue(queue, request, out, err);
            }
            if (first(REDIS_CONNECTION, "(herald.redis.connection=tasks)") == null) {
                err.println(NO_REDIS);
                return 1;
            }
            if (System.nanoTime() - deadline >= 0) {
                ServiceReference<TaskQueue> any = first(TaskQueue.class, null);
                err.println(any == null ? "the task processor published no TaskQueue within " + timeoutMillis + " ms"
                        : "the task processor does not use Redis after " + timeoutMillis + " ms (storage: "
                                + any.getProperty(TasksComponent.STORAGE_PROPERTY) + "): see the tasks entry of the"
                                + " status action");
                return 1;
            }
            Thread.sleep(POLL_MILLIS);
        }
    }

    private int enqueue(ServiceReference<TaskQueue> reference, EnqueueRequest request, PrintWriter out, PrintWriter err) {
        TaskQueue queue = context.getService(reference);
        if (queue == null) {
            err.println("the task processor's TaskQueue went away");
            return 1;
        }
        Instant at = request.at();
        try {
            Map<String, Object> params = new LinkedHashMap<>(request.params());
            boolean enqueued = at == null ? queue.enqueue(request.name(), params, request.queue())
                    : queue.enqueueAt(at, request.name(), params, request.queue(), false);
            if (!enqueued) {
                err.println("the job was not enqueued: a plugin or middleware of task " + request.name()
                        + " declined it (QueueLock does while the same job waits in its queue)");
                return 1;
            }
            String job = EnqueueRequest.JSON.writeValueAsString(job(request));
            out.println(at == null ? "enqueued: " + job
                    : "scheduled for " + Instant.ofEpochSecond(at.getEpochSecond()) + ": " + job);
            return 0;
        } catch (TaskException e) {
            err.println(e.reason() != TaskException.Reason.UNKNOWN_TASK ? e.getMessage()
                    : "unknown task " + request.name() + ": no task of that name runs in this role or in " + deployDir()
                            + " (tasks: " + String.join(", ", taskNames()) + ")");
            return 1;
        } catch (JsonProcessingException | RuntimeException e) {
            err.println("enqueue failed: " + e);
            return 1;
        } finally {
            context.ungetService(reference);
        }
    }

    /**
     * The job as the queue wrote it: the params with the task's defaults and formatters applied (the core's
     * ParamChecker, which the queue used), on the queue asked for or the task's own.
     */
    private Map<String, Object> job(EnqueueRequest request) {
        Map<String, Object> params = request.params();
        String queue = request.queue();
        ServiceReference<Task> taskReference = taskReferences("(" + TASK_NAME + "=" + escape(request.name()) + ")")
                .stream().max(Comparator.<ServiceReference<Task>>comparingInt(TaskEnqueueCommand::ranking)
                        .thenComparingLong(r -> (Long) r.getProperty(Constants.SERVICE_ID)))
                .orElse(null);
        if (taskReference != null) {
            if (queue == null && taskReference.getProperty(TASK_QUEUE) != null) {
                queue = String.valueOf(taskReference.getProperty(TASK_QUEUE));
            }
            params = checked(taskReference, params);
        }
        Map<String, Object> job = new LinkedHashMap<>();
        job.put("class", request.name());
        job.put("queue", queue == null ? "default" : queue);
        job.put("args", List.of(params));
        return job;
    }

    private Map<String, Object> checked(ServiceReference<Task> taskReference, Map<String, Object> params) {
        ServiceReference<ParamChecker> checkerReference = context.getServiceReference(ParamChecker.class);
        if (checkerReference == null) {
            return params;
        }
        Task task = context.getService(taskReference);
        ParamChecker checker = context.getService(checkerReference);
        try {
            Map<String, Object> checked = new LinkedHashMap<>(params);
            return task != null && checker != null && checker.check(task.inputs(), checked) == null ? checked : params;
        } finally {
            context.ungetService(taskReference);
            context.ungetService(checkerReference);
        }
    }

    /** Where the launcher deploys from: {@code deploy/} of the node's home. */
    private String deployDir() {
        String home = context.getProperty("herald.home");
        return home == null ? "deploy/" : Path.of(home).resolve("deploy").toString();
    }

    private Set<String> taskNames() {
        Set<String> names = new TreeSet<>();
        for (ServiceReference<Task> reference : taskReferences(null)) {
            if (reference.getProperty(TASK_NAME) instanceof String name) {
                names.add(name);
            }
        }
        return names.isEmpty() ? Set.of("none") : names;
    }

    private List<ServiceReference<Task>> taskReferences(String filter) {
        try {
            return List.copyOf(context.getServiceReferences(Task.class, filter));
        } catch (InvalidSyntaxException e) {
            return List.of();
        }
    }

    private <S> ServiceReference<S> first(Class<S> type, String filter) {
        try {
            return context.getServiceReferences(type, filter).stream().findFirst().orElse(null);
        } catch (InvalidSyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private ServiceReference<?> first(String type, String filter) {
        try {
            ServiceReference<?>[] references = context.getAllServiceReferences(type, filter);
            return references == null ? null : references[0];
        } catch (InvalidSyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static int ranking(ServiceReference<?> reference) {
        return reference.getProperty(Constants.SERVICE_RANKING) instanceof Integer i ? i : 0;
    }

    private static String escape(String value) {
        return value.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)").replace("*", "\\*");
    }
}
