package io.herald.launcher.internal;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;

/**
 * {@code herald task enqueue}: Actionhero's {@code actionhero task enqueue --name --args}, against the Redis of a running
 * cluster. The launcher starts the role headless (in a data directory of its own, with {@link #OVERRIDES}, and never
 * declaring the node ready, so no server opens and no worker or scheduler runs) and deploys {@code deploy/} (where tasks
 * live) before this class runs; it waits for the task processor to use Redis, then enqueues through the {@code TaskQueue} service, so the params are validated exactly as an action's enqueue validates
 * them, and reports one line.
 *
 * <p>The Herald API is not on the launcher's class path (the framework's bundles have it), so the services are called
 * reflectively, through the API interfaces their own class loaders see.
 */
final class TaskEnqueue {

    /** The feature whose bundle publishes {@code TaskQueue}; the role must nest it. */
    static final String FEATURE = "herald-tasks";
    /** The Redis connection the task processor uses ({@code (herald.redis.connection=tasks)}). */
    static final String CONNECTION = "tasks";
    /** How long the command waits for the task processor to use Redis; system property {@code herald.task.timeout} (ms). */
    static final long TIMEOUT_MILLIS = Long.getLong("herald.task.timeout", 30_000);
    private static final long POLL_MILLIS = 50;

    /**
     * What this run changes whatever the config says: a node that only enqueues keeps out of the cluster: of the Redis
     * connections only {@value #CONNECTION} is staged, so the bus stays in-process and no member joins and leaves the
     * cluster for one enqueue. (It serves nothing and works nothing because it never declares itself ready.)
     */
    static final ConfigStager.Overrides OVERRIDES = new ConfigStager.Overrides(Map.of(),
            (pid, values) -> RedisSwitch.isConnection(pid) && !CONNECTION.equals(RedisSwitch.connectionName(pid, values)));

    static final String NO_REDIS = "no Redis is configured (REDIS_HOST, REDIS_SENTINELS or REDIS_CLUSTER_NODES, or host,"
            + " sentinels or clusterNodes in config/io.herald.redis.connection-tasks.cfg): a job enqueued now would live"
            + " only in this process";

    private static final String TASK_QUEUE = "io.herald.api.task.TaskQueue";
    private static final String TASK = "io.herald.api.task.Task";
    private static final String TASK_EXCEPTION = "io.herald.api.task.TaskException";
    private static final String HEALTH_INDICATOR = "io.herald.api.spi.HealthIndicator";
    private static final String PARAM_CHECKER = "io.herald.api.spi.ParamChecker";
    private static final String TASK_NAME_PROPERTY = "herald.task.name";
    private static final String TASK_QUEUE_PROPERTY = "herald.task.queue";

    /** The outcome: the line to print and whether it is an error. */
    record Outcome(boolean ok, String line) {
    }

    private final BundleContext context;
    private final LaunchOptions.TaskRequest request;
    private final Path deployDir;
    private final long deadline;

    TaskEnqueue(BundleContext context, LaunchOptions.TaskRequest request, Path deployDir) {
        this.context = context;
        this.request = request;
        this.deployDir = deployDir;
        this.deadline = System.nanoTime() + TIMEOUT_MILLIS * 1_000_000;
    }

    /** Waits for the task processor on Redis, then enqueues. */
    Outcome run() throws InterruptedException {
        Object queue = awaitQueueOnRedis();
        if (queue instanceof Outcome failure) {
            return failure;
        }
        return enqueue(queue);
    }

    /** @return the TaskQueue service once the processor's store is Redis, or an {@link Outcome} saying why not */
    private Object awaitQueueOnRedis() throws InterruptedException {
        String store = "none";
        while (true) {
            ServiceReference<?> reference = context.getServiceReference(TASK_QUEUE);
            Object queue = reference == null ? null : context.getService(reference);
            Map<String, Object> tasks = health("tasks", "io.herald.tasks");
            store = tasks == null ? "none" : String.valueOf(details(tasks).get("store"));
            if (queue != null && "redis".equals(store)) {
                return queue;
            }
            if (pastDeadline()) {
                if (queue == null) {
                    return new Outcome(false, "the task processor (bundle io.herald.tasks) published no TaskQueue within "
                            + TIMEOUT_MILLIS + " ms");
                }
                Map<String, Object> redis = health("redis." + CONNECTION, "io.herald.redis");
                return new Outcome(false, "the task processor does not use Redis after " + TIMEOUT_MILLIS + " ms (store: "
                        + store + "); the Redis connection '" + CONNECTION + "' is " + (redis == null ? "not running"
                                : redis.get("state") + " " + details(redis)));
            }
            Thread.sleep(POLL_MILLIS);
        }
    }

    private Outcome enqueue(Object queue) {
        Instant at = request.atEpochMillis() != null ? Instant.ofEpochMilli(request.atEpochMillis())
                : request.inMillis() != null ? Instant.now().plusMillis(request.inMillis()) : null;
        try {
            Object result;
            if (at == null) {
                result = method(queue, TASK_QUEUE, "enqueue", String.class, Map.class, String.class)
                        .invoke(queue, request.name(), request.params(), request.queue());
            } else {
                result = method(queue, TASK_QUEUE, "enqueueAt", Instant.class, String.class, Map.class, String.class,
                        boolean.class).invoke(queue, at, request.name(), request.params(), request.queue(), false);
            }
            if (!Boolean.TRUE.equals(result)) {
                return new Outcome(false, "the job was not enqueued: a plugin or middleware of task " + request.name()
                        + " declined it (QueueLock does while the same job waits in its queue)");
            }
            String job = JsonText.write(job());
            return new Outcome(true, at == null ? "enqueued: " + job
                    : "scheduled for " + Instant.ofEpochSecond(at.getEpochSecond()) + ": " + job);
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            String reason = taskExceptionReason(cause);
            if (reason == null) {
                return new Outcome(false, "enqueue failed: " + cause);
            }
            String message = cause.getMessage();
            if (reason.equals("UNKNOWN_TASK")) {
                message = "unknown task " + request.name() + ": no task of that name runs in this role or in "
                        + deployDir + " (tasks: " + String.join(", ", taskNames()) + ")";
            }
            return new Outcome(false, message);
        } catch (ReflectiveOperationException e) {
            return new Outcome(false, "the TaskQueue service cannot be called: " + e);
        }
    }

    /**
     * The job as the queue wrote it: the params with the task's defaults and formatters applied (the core's
     * ParamChecker, which the queue used), on the queue asked for or the task's own.
     */
    private Map<String, Object> job() {
        Map<String, Object> params = new LinkedHashMap<>(request.params());
        String queue = request.queue();
        ServiceReference<?> taskReference = taskReference();
        if (taskReference != null) {
            if (queue == null && taskReference.getProperty(TASK_QUEUE_PROPERTY) != null) {
                queue = String.valueOf(taskReference.getProperty(TASK_QUEUE_PROPERTY));
            }
            params = checkedParams(taskReference, params);
        }
        Map<String, Object> job = new LinkedHashMap<>();
        job.put("class", request.name());
        job.put("queue", queue == null ? "default" : queue);
        job.put("args", List.of(params));
        return job;
    }

    private Map<String, Object> checkedParams(ServiceReference<?> taskReference, Map<String, Object> params) {
        ServiceReference<?> checkerReference = context.getServiceReference(PARAM_CHECKER);
        if (checkerReference == null) {
            return params;
        }
        Object task = context.getService(taskReference);
        Object checker = context.getService(checkerReference);
        try {
            if (task == null || checker == null) {
                return params;
            }
            Object inputs = method(task, TASK, "inputs").invoke(task);
            Map<String, Object> checked = new LinkedHashMap<>(params);
            Method check = Arrays.stream(apiInterface(checker.getClass(), PARAM_CHECKER).getMethods())
                    .filter(m -> m.getName().equals("check") && m.getParameterCount() == 2).findFirst().orElseThrow();
            return check.invoke(checker, inputs, checked) == null ? checked : params;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return params; // only the printed line: the job itself was enqueued by the queue
        } finally {
            context.ungetService(taskReference);
            context.ungetService(checkerReference);
        }
    }

    /** The task service the queue picks: the highest ranking, then the newest (as the core does for actions). */
    private ServiceReference<?> taskReference() {
        List<ServiceReference<?>> found = taskReferences("(" + TASK_NAME_PROPERTY + "=" + escape(request.name()) + ")");
        return found.stream().max(Comparator.<ServiceReference<?>>comparingInt(r -> ranking(r))
                .thenComparingLong(r -> (Long) r.getProperty(Constants.SERVICE_ID))).orElse(null);
    }

    private List<String> taskNames() {
        Set<String> names = new TreeSet<>();
        for (ServiceReference<?> reference : taskReferences(null)) {
            Object name = reference.getProperty(TASK_NAME_PROPERTY);
            if (name != null) {
                names.add(name.toString());
            }
        }
        return names.isEmpty() ? List.of("none") : List.copyOf(names);
    }

    private List<ServiceReference<?>> taskReferences(String filter) {
        try {
            ServiceReference<?>[] references = context.getAllServiceReferences(TASK, filter);
            return references == null ? List.of() : List.of(references);
        } catch (InvalidSyntaxException e) {
            return List.of();
        }
    }

    private static int ranking(ServiceReference<?> reference) {
        return reference.getProperty(Constants.SERVICE_RANKING) instanceof Integer i ? i : 0;
    }

    private static String escape(String value) {
        return value.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)").replace("*", "\\*");
    }

    /**
     * What the health indicator named {@code name}, of bundle {@code bundle}, reports: its state and details; null when
     * there is none. Only that bundle's indicators are asked (each answer may cost Redis round trips).
     */
    private Map<String, Object> health(String name, String bundle) {
        ServiceReference<?>[] references;
        try {
            references = context.getAllServiceReferences(HEALTH_INDICATOR, null);
        } catch (InvalidSyntaxException e) {
            return null;
        }
        if (references == null) {
            return null;
        }
        for (ServiceReference<?> reference : references) {
            if (!bundle.equals(reference.getBundle() == null ? null : reference.getBundle().getSymbolicName())) {
                continue;
            }
            Object indicator = context.getService(reference);
            if (indicator == null) {
                continue;
            }
            try {
                Object health = method(indicator, HEALTH_INDICATOR, "health").invoke(indicator);
                if (health != null && name.equals(accessor(health, "name"))) {
                    Map<String, Object> result = new LinkedHashMap<>();
                    result.put("state", String.valueOf(accessor(health, "state")));
                    result.put("details", accessor(health, "details"));
                    return result;
                }
            } catch (ReflectiveOperationException | RuntimeException e) {
                // an indicator that cannot answer is not the one that matters here
            } finally {
                context.ungetService(reference);
            }
        }
        return null;
    }

    private static Map<?, ?> details(Map<String, Object> health) {
        return health.get("details") instanceof Map<?, ?> map ? map : Map.of();
    }

    private static Object accessor(Object record, String name) throws ReflectiveOperationException {
        return record.getClass().getMethod(name).invoke(record);
    }

    /** The reason of an {@code io.herald.api.task.TaskException} (its enum's name), or null for any other throwable. */
    private static String taskExceptionReason(Throwable error) {
        for (Class<?> type = error == null ? null : error.getClass(); type != null; type = type.getSuperclass()) {
            if (type.getName().equals(TASK_EXCEPTION)) {
                try {
                    Object reason = type.getMethod("reason").invoke(error);
                    return reason == null ? "" : ((Enum<?>) reason).name();
                } catch (ReflectiveOperationException | ClassCastException e) {
                    return "";
                }
            }
        }
        return null;
    }

    private static Method method(Object service, String interfaceName, String name, Class<?>... parameters)
            throws NoSuchMethodException {
        return apiInterface(service.getClass(), interfaceName).getMethod(name, parameters);
    }

    /** The interface named {@code name} that {@code type} implements, as the service's class loader sees it. */
    private static Class<?> apiInterface(Class<?> type, String name) throws NoSuchMethodException {
        List<Class<?>> pending = new ArrayList<>();
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            pending.addAll(List.of(c.getInterfaces()));
        }
        while (!pending.isEmpty()) {
            Class<?> candidate = pending.remove(0);
            if (candidate.getName().equals(name)) {
                return candidate;
            }
            pending.addAll(List.of(candidate.getInterfaces()));
        }
        throw new NoSuchMethodException(type.getName() + " does not implement " + name);
    }

    private boolean pastDeadline() {
        return System.nanoTime() - deadline >= 0;
    }
}
