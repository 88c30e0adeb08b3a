package io.herald.tasks.internal.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;

import io.herald.api.task.Task;
import io.herald.api.task.TaskException;
import io.herald.api.task.TaskQueue;
import io.herald.launcher.spi.Command;
import io.herald.tasks.internal.TasksComponent;
import io.herald.tasks.internal.engine.ResqueTaskQueue;

/**
 * {@code herald task enqueue --name T [--args JSON] [--queue Q] [--in MS | --at EPOCH_MS]}: Actionhero's
 * {@code actionhero task enqueue --name --args}, against the Redis of a running cluster. The launcher runs it on the
 * role started headless ({@code deploy/}, where tasks live, deployed; the node never declared ready, so no worker of
 * this process takes the job). It enqueues through the {@link TaskQueue} once its jobs go to Redis, so the params are
 * validated as an action's enqueue validates them, and prints the job on one line. Without a Redis {@code tasks}
 * connection it refuses: the in-process queue dies with this process, and the job with it.
 *
 * <p>The only class of this bundle that names {@code io.herald.launcher.spi}, which the launcher's system bundle
 * exports and this bundle imports optionally: without the launcher nobody asks for the command, and SCR never loads
 * this class.
 */
@Component(service = Command.class, property = Command.NAME + "=task enqueue")
public final class TaskEnqueueCommand implements Command {

    /** How long it waits for the task processor to use Redis; framework property {@code herald.task.timeout} (ms). */
    private static final long TIMEOUT_MILLIS = 30_000;
    private static final String TASK_NAME = "herald.task.name";

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
        try {
            EnqueueRequest request = EnqueueRequest.parse(args);
            String timeout = context.getProperty("herald.task.timeout");
            long timeoutMillis = timeout == null ? TIMEOUT_MILLIS : Long.parseLong(timeout.strip());
            long deadline = System.nanoTime() + timeoutMillis * 1_000_000;
            List<ServiceReference<TaskQueue>> onRedis;
            while ((onRedis = references(TaskQueue.class, "(" + TasksComponent.STORAGE_PROPERTY + "=redis)")).isEmpty()) {
                if (references("io.herald.redis.RedisConnection", "(herald.redis.connection=tasks)").isEmpty()) {
                    throw new IllegalArgumentException(NO_REDIS);
                }
                if (System.nanoTime() - deadline >= 0) {
                    throw new IllegalArgumentException("the task processor does not use Redis after " + timeoutMillis
                            + " ms (storage: " + references(TaskQueue.class, null).stream().findFirst()
                                    .map(queue -> queue.getProperty(TasksComponent.STORAGE_PROPERTY)).orElse("none")
                            + "): see the tasks entry of the status action");
                }
                Thread.sleep(50);
            }
            out.println(enqueue(onRedis.get(0), request));
            return 0;
        } catch (IllegalArgumentException | TaskException e) {
            err.println(e.getMessage());
            return 1;
        } catch (RuntimeException e) {
            err.println("enqueue failed: " + e);
            return 1;
        }
    }

    /**
     * @return the line to print: the job exactly as the queue wrote it; throws {@link IllegalArgumentException} or
     *     {@link TaskException} with the error's
     */
    private String enqueue(ServiceReference<TaskQueue> reference, EnqueueRequest request) {
        // this bundle's TaskQueue service is its ResqueTaskQueue: it says which bytes it wrote
        ResqueTaskQueue queue = (ResqueTaskQueue) Objects.requireNonNull(context.getService(reference),
                "the task processor's TaskQueue left");
        Instant at = request.at();
        String job;
        try {
            Map<String, Object> params = new LinkedHashMap<>(request.params());
            if (!(at == null ? queue.enqueue(request.name(), params, request.queue())
                    : queue.enqueueAt(at, request.name(), params, request.queue(), false))) {
                throw new IllegalArgumentException("the job was not enqueued: a plugin or middleware of task "
                        + request.name() + " declined it (QueueLock does while the same job waits in its queue)");
            }
            job = queue.payload(request.name(), request.params(), request.queue());
        } catch (TaskException e) {
            if (e.reason() != TaskException.Reason.UNKNOWN_TASK) {
                throw e;
            }
            String home = context.getProperty("herald.home");
            TreeSet<Object> names = new TreeSet<>();
            references(Task.class, "(" + TASK_NAME + "=*)").forEach(task -> names.add(task.getProperty(TASK_NAME)));
            throw new IllegalArgumentException("unknown task " + request.name() + ": no task of that name runs in this role"
                    + " or in " + (home == null ? "deploy/" : Path.of(home).resolve("deploy")) + " (tasks: "
                    + (names.isEmpty() ? "none" : String.join(", ", names.stream().map(String::valueOf).toList())) + ")",
                    e);
        } finally {
            context.ungetService(reference);
        }
        return at == null ? "enqueued: " + job : "scheduled for " + Instant.ofEpochSecond(at.getEpochSecond()) + ": " + job;
    }

    private <S> List<ServiceReference<S>> references(Class<S> type, String filter) {
        try {
            return List.copyOf(context.getServiceReferences(type, filter));
        } catch (InvalidSyntaxException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private List<ServiceReference<?>> references(String type, String filter) {
        try {
            ServiceReference<?>[] found = context.getAllServiceReferences(type, filter);
            return found == null ? List.of() : List.of(found);
        } catch (InvalidSyntaxException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
