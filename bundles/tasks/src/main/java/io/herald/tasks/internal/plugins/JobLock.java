package io.herald.tasks.internal.plugins;

import java.util.function.Supplier;

import io.herald.api.task.TaskEvent;
import io.herald.api.task.TaskPlugin;
import io.herald.tasks.internal.store.ResqueStore;
import io.herald.tasks.internal.wire.Payloads;
import io.herald.tasks.internal.wire.ResqueSeconds;

/**
 * node-resque's {@code JobLock}: the same job (class, queue, args) never runs twice at once in the cluster.
 * {@code beforePerform} sets {@code workerslock:<class>:<queue>:<JSON(args)>} ({@code SET .. EX lockTimeout NX}, value
 * the expiry in unix seconds); when another worker holds it the job is not run and, unless the option
 * {@code reEnqueue} is false, is scheduled again {@code enqueueTimeout} ms later (default 1001). {@code afterPerform}
 * releases the lock.
 *
 * <p>Options: {@code lockTimeout} (s, default 3600), {@code reEnqueue} (default true), {@code enqueueTimeout} (ms),
 * {@code key}. node-resque's {@code enqueueIn} throws when the copy is already scheduled at that second, which fails the
 * job; here that copy is simply the one that runs later.
 */
final class JobLock implements TaskPlugin {

    static final long DEFAULT_ENQUEUE_TIMEOUT = 1001;

    private final Supplier<ResqueStore> store;

    JobLock(Supplier<ResqueStore> store) {
        this.store = store;
    }

    @Override
    public boolean beforePerform(TaskEvent event) {
        long timeout = PluginOptions.positive(event.options(), "lockTimeout", QueueLock.DEFAULT_LOCK_TIMEOUT);
        long now = ResqueSeconds.of(System.currentTimeMillis());
        ResqueStore redis = store.get();
        if (redis.setIfAbsent(key(event), Long.toString(now + timeout + 1), timeout)) {
            return true;
        }
        if (!Boolean.FALSE.equals(flag(event.options().get("reEnqueue")))) {
            long delay = PluginOptions.positive(event.options(), "enqueueTimeout", DEFAULT_ENQUEUE_TIMEOUT);
            redis.schedule(ResqueSeconds.of(System.currentTimeMillis() + delay), Payloads.encodeJob(event.job()));
        }
        return false;
    }

    @Override
    public void afterPerform(TaskEvent event) {
        store.get().delete(key(event));
    }

    static String key(TaskEvent event) {
        String fixed = PluginOptions.text(event.options(), "key");
        return fixed != null ? fixed : PluginKeys.jobLock(event.job());
    }

    private static Boolean flag(Object value) {
        if (value instanceof Boolean b) {
            return b;
        }
        return value == null ? null : Boolean.valueOf(value.toString().trim());
    }
}
