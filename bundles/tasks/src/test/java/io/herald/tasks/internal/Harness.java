package io.herald.tasks.internal;

import java.util.HashMap;
import java.util.Map;

import io.herald.core.ParamChecks;
import io.herald.redis.RedisConnection;
import io.herald.redis.internal.RedisConnections;
import io.herald.tasks.internal.engine.JobRunner;
import io.herald.tasks.internal.store.MemoryResqueStore;
import io.herald.tasks.internal.store.ResqueStore;
import io.herald.tasks.internal.wire.JsDate;
import io.herald.testing.Await;
import io.herald.testing.redis.RedisServer;

/**
 * A task processor over a store, and a way to work jobs one at a time on the test's thread (what a worker does, without
 * its loop), so plugin and recurrence tests are deterministic.
 */
public final class Harness {

    public static final String WORKER = "testhost:1+1";

    private final ResqueStore store;
    private final TaskProcessor processor;
    private final JobRunner runner;

    public Harness() {
        this(new MemoryResqueStore());
    }

    public Harness(ResqueStore store) {
        this(store, "testhost:1");
    }

    public Harness(ResqueStore store, String schedulerName) {
        this.store = store;
        this.processor = new TaskProcessor(ParamChecks.standard(), store, schedulerName);
        this.runner = new JobRunner(processor.queue());
    }

    public ResqueStore store() {
        return store;
    }

    public TaskProcessor processor() {
        return processor;
    }

    /**
     * Pops one job of {@code queue} as worker {@link #WORKER} and performs and completes it as a worker does.
     *
     * @return the outcome, or {@code null} when the queue was empty
     */
    public JobRunner.Outcome work(String queue) {
        return work(queue, WORKER);
    }

    /** {@link #work(String)} as the worker {@code worker} (two nodes in one test need two workers). */
    public JobRunner.Outcome work(String queue, String worker) {
        String raw = store.popAndStore(queue, worker, queue, JsDate.now());
        if (raw == null) {
            return null;
        }
        JobRunner.Result result = runner.perform(queue, raw, worker);
        switch (result.outcome()) {
            case SUCCEEDED -> store.completeJob(worker, queue, null);
            case FAILED -> store.completeJob(worker, queue, result.failure());
            case SKIPPED -> store.releaseJob(worker, queue);
        }
        return result.outcome();
    }

    /**
     * A {@code tasks} connection to {@code server}, as io.herald.redis.cfg would configure it, once connected; its
     * commands are retried for {@code retryWindowMillis}.
     */
    public static RedisConnections.Opened connect(RedisServer server, long retryWindowMillis) {
        Map<String, Object> config = new HashMap<>();
        config.put("name", "tasks");
        config.put("host", server.host());
        config.put("port", String.valueOf(server.port()));
        config.put("connectTimeoutMillis", "1000");
        config.put("socketTimeoutMillis", "3000");
        config.put("retryWindowMillis", String.valueOf(retryWindowMillis));
        RedisConnections.Opened connection = RedisConnections.open(config);
        Await.until(() -> connection.state() == RedisConnection.State.CONNECTED, "connection tasks CONNECTED");
        return connection;
    }

    /**
     * Settings as io.herald.tasks.cfg would give them for the worker role, with short intervals: {@code timeout} 100 ms,
     * {@code checkTimeout} 20 ms, one processor, no scheduler; {@code overrides} are key, value pairs.
     */
    public static TasksSettings settings(Object... overrides) {
        return TasksSettings.from(config(overrides), "worker");
    }

    /** The configuration {@link #settings} reads, as ConfigAdmin would hand it to the component. */
    public static Map<String, Object> config(Object... overrides) {
        Map<String, Object> config = new HashMap<>();
        config.put("timeout", "100");
        config.put("checkTimeout", "20");
        config.put("minTaskProcessors", "1");
        config.put("maxTaskProcessors", "1");
        config.put("scheduler", "false");
        config.put("shutdownTimeout", "20000");
        for (int i = 0; i < overrides.length; i += 2) {
            config.put((String) overrides[i], overrides[i + 1]);
        }
        return config;
    }
}
