package io.herald.tasks.internal.plugins;

import java.util.function.Supplier;

import io.herald.tasks.internal.engine.RegisteredTask;
import io.herald.tasks.internal.engine.TaskRegistry;
import io.herald.tasks.internal.store.ResqueStore;

/** node-resque's plugins that come with the task processor, by the names tasks list them under. */
public final class BuiltInPlugins {

    public static final String RETRY = "Retry";

    private BuiltInPlugins() {
    }

    /** Adds {@code Retry}, {@code QueueLock}, {@code JobLock} and {@code DelayQueueLock}, working on {@code store}. */
    public static void register(TaskRegistry registry, Supplier<ResqueStore> store) {
        registry.addBuiltInPlugin(RETRY, new Retry(store));
        registry.addBuiltInPlugin(RegisteredTask.QUEUE_LOCK, new QueueLock(store));
        registry.addBuiltInPlugin(RegisteredTask.JOB_LOCK, new JobLock(store));
        registry.addBuiltInPlugin(RegisteredTask.DELAY_QUEUE_LOCK, new DelayQueueLock(store));
    }
}
