package io.herald.tasks.interop;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.herald.api.task.Task;
import io.herald.api.task.TaskContext;
import io.herald.core.ParamChecks;
import io.herald.redis.RedisConnection;
import io.herald.redis.internal.RedisConnections;
import io.herald.tasks.internal.TaskProcessor;
import io.herald.tasks.internal.TasksSettings;
import io.herald.tasks.internal.engine.ResqueTaskQueue;
import io.herald.tasks.internal.scheduler.Scheduler;
import io.herald.tasks.internal.store.RedisResqueStore;
import io.herald.tasks.internal.wire.JsJson;
import io.herald.tasks.internal.worker.WorkerPool;
import io.herald.testing.Await;
import io.herald.testing.redis.RedisServer;

/**
 * Herald nodes in this JVM against one Redis, as the bundle assembles them: one {@code tasks} Redis connection and
 * {@link RedisResqueStore}, and per node a {@link TaskProcessor} configured with the keys of {@code io.herald.tasks.cfg}
 * ({@link TasksSettings#from}). {@link #tasks()} is a node that only enqueues and inspects (the {@code web} role);
 * {@link #startWorkers} and {@link #startScheduler} each start another node that runs only that. Every node knows the
 * same job classes as the node-resque scripts' {@code lib/jobs.js}: {@code add}, {@code echo}, {@code fail},
 * {@code record}, {@code sleep}. Herald tasks take Actionhero's job shape, params in {@code args[0]}, so the interop
 * jobs are {@code [{"a":1,"b":2}]}.
 */
final class HeraldNode implements AutoCloseable {

    /** Poll and ping interval of the workers and schedulers: short, so tests wait little; not too short, 2 cores. */
    static final long TIMEOUT_MILLIS = 250;

    private final RedisConnections.Opened connection;
    private final RedisResqueStore store;
    private final TaskProcessor web;
    private final List<TaskProcessor> nodes = new ArrayList<>();

    private HeraldNode(RedisConnections.Opened connection) {
        this.connection = connection;
        this.store = new RedisResqueStore(connection);
        this.web = node("web-only", Map.of("maxTaskProcessors", 0, "scheduler", false));
    }

    /** Connects to {@code redis} (namespace {@code resque}) and waits until the connection is up. */
    static HeraldNode against(RedisServer redis) {
        return against(redis.host(), redis.port());
    }

    static HeraldNode against(String host, int port) {
        RedisConnections.Opened connection = RedisConnections.open(Map.of("name", "tasks", "host", host,
                "port", String.valueOf(port), "connectTimeoutMillis", "2000", "socketTimeoutMillis", "5000"));
        try {
            Await.until(() -> connection.state() == RedisConnection.State.CONNECTED, Duration.ofSeconds(30),
                    "the tasks connection to " + host + ":" + port + " is CONNECTED");
            return new HeraldNode(connection);
        } catch (RuntimeException | AssertionError e) {
            connection.close();
            throw e;
        }
    }

    /** The enqueue and inspect API, as actions see it, of a node that runs no worker and no scheduler. */
    ResqueTaskQueue tasks() {
        return web.queue();
    }

    RedisResqueStore store() {
        return store;
    }

    /** Starts a node with exactly {@code workers} processors on {@code queues} (priority order, or {@code *}). */
    WorkerPool startWorkers(int workers, String... queues) {
        TaskProcessor node = node("workers", Map.of("queues", String.join(",", queues), "minTaskProcessors", workers,
                "maxTaskProcessors", workers, "timeout", TIMEOUT_MILLIS, "checkTimeout", 100, "scheduler", false,
                "shutdownTimeout", 10_000));
        return node.pool();
    }

    /** Starts a node that runs only a scheduler; {@code stuckWorkerTimeout} 0 turns the stuck-worker check off. */
    Scheduler startScheduler(String name, Duration stuckWorkerTimeout, boolean retryStuckJobs) {
        TaskProcessor node = node(name, Map.of("maxTaskProcessors", 0, "scheduler", true, "timeout", TIMEOUT_MILLIS,
                "stuckWorkerTimeout", stuckWorkerTimeout.toMillis(), "retryStuckJobs", retryStuckJobs));
        return node.scheduler();
    }

    /** Stops every node started here (gracefully), then closes the connection. */
    @Override
    public void close() {
        try {
            synchronized (nodes) {
                nodes.forEach(TaskProcessor::stop);
            }
        } finally {
            connection.close();
        }
    }

    private TaskProcessor node(String schedulerName, Map<String, ?> config) {
        TaskProcessor node = new TaskProcessor(ParamChecks.standard(), store, schedulerName);
        long order = 1;
        for (Map.Entry<String, Task> task : interopTasks(connection).entrySet()) {
            node.registry().addTask(task.getValue(), Map.of("herald.task.name", task.getKey()), order++);
        }
        node.start(TasksSettings.from(config, null));
        synchronized (nodes) {
            nodes.add(node);
        }
        return node;
    }

    /** The Java twins of lib/jobs.js, by class name. */
    private static Map<String, Task> interopTasks(RedisConnection connection) {
        return Map.of(
                "add", context -> sum(context),
                "echo", context -> context.params(),
                "fail", context -> {
                    Object message = context.param("message");
                    throw new IllegalStateException(message instanceof String text ? text : NodeResque.FAIL_MESSAGE);
                },
                // what node-resque's record job pushes: JSON.stringify(args), args being [params] here
                "record", context -> connection.execute(redis -> redis.rpush(NodeResque.RECORD_KEY,
                        JsJson.stringify(List.of(context.params())))),
                "sleep", context -> {
                    Object ms = context.param("ms");
                    long millis = ms instanceof Number number ? number.longValue() : 1000;
                    Thread.sleep(millis);
                    return millis;
                });
    }

    private static Object sum(TaskContext context) {
        double total = 0;
        for (Object value : context.params().values()) {
            if (value instanceof Number number) {
                total += number.doubleValue();
            }
        }
        return total;
    }
}
