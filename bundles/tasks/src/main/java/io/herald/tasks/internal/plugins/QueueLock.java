package io.herald.tasks.internal.plugins;

import java.util.function.Supplier;

import io.herald.api.task.TaskEvent;
import io.herald.api.task.TaskPlugin;
import io.herald.tasks.internal.store.ResqueStore;
import io.herald.tasks.internal.wire.ResqueSeconds;

/**
 * node-resque's {@code QueueLock}: a job is not enqueued while the same job (class, queue, args) waits in its queue.
 * {@code beforeEnqueue} takes {@code lock:<class>:<queue>:<JSON(args)>} holding its expiry ({@code now + lockTimeout + 1}
 * unix seconds) for {@code lockTimeout} seconds (option, default 3600); an existing lock whose stored expiry has passed
 * is taken over. {@code beforePerform} releases it, so the next copy may be enqueued once this one runs.
 *
 * <p>Options: {@code lockTimeout} (s), {@code key} (a fixed lock key instead of the derived one).
 */
final class QueueLock implements TaskPlugin {

    static final long DEFAULT_LOCK_TIMEOUT = 3600;

    private final Supplier<ResqueStore> store;

    QueueLock(Supplier<ResqueStore> store) {
        this.store = store;
    }

    @Override
    public boolean beforeEnqueue(TaskEvent event) {
        String key = key(event);
        long timeout = PluginOptions.positive(event.options(), "lockTimeout", DEFAULT_LOCK_TIMEOUT);
        long now = ResqueSeconds.of(System.currentTimeMillis());
        String expiry = Long.toString(now + timeout + 1);
        ResqueStore redis = store.get();
        // one SET NX EX where node-resque does SETNX then EXPIRE: no window in which a crash leaves a lock without TTL
        if (redis.setIfAbsent(key, expiry, timeout)) {
            return true;
        }
        String held = redis.get(key);
        Long heldUntil = held == null ? null : seconds(held);
        if (heldUntil != null && now <= heldUntil) {
            return false;
        }
        redis.set(key, expiry, timeout);
        return true;
    }

    @Override
    public boolean beforePerform(TaskEvent event) {
        store.get().delete(key(event));
        return true;
    }

    static String key(TaskEvent event) {
        String fixed = PluginOptions.text(event.options(), "key");
        return fixed != null ? fixed : PluginKeys.queueLock(event.job());
    }

    /** node-resque compares with {@code parseInt}: a value it cannot read (NaN) never counts as held. */
    static Long seconds(String text) {
        try {
            return Long.parseLong(text.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
