package io.herald.tasks.internal.plugins;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

import io.herald.api.task.TaskPlugin;
import io.herald.tasks.internal.store.ResqueStore;

/** node-resque's plugins that come with the task processor, by the names tasks list them under. */
public final class BuiltInPlugins {

    public static final String RETRY = "Retry";
    public static final String QUEUE_LOCK = "QueueLock";
    public static final String JOB_LOCK = "JobLock";
    public static final String DELAY_QUEUE_LOCK = "DelayQueueLock";

    private BuiltInPlugins() {
    }

    /** {@code Retry}, {@code QueueLock}, {@code JobLock} and {@code DelayQueueLock} by name, on {@code store}. */
    public static Map<String, TaskPlugin> create(Supplier<ResqueStore> store) {
        Map<String, TaskPlugin> plugins = new LinkedHashMap<>();
        plugins.put(RETRY, new Retry(store));
        plugins.put(QUEUE_LOCK, new QueueLock(store));
        plugins.put(JOB_LOCK, new JobLock(store));
        plugins.put(DELAY_QUEUE_LOCK, new DelayQueueLock(store));
        return plugins;
    }
}
