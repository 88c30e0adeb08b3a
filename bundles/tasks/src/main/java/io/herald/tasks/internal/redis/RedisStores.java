package io.herald.tasks.internal.redis;

import io.herald.redis.RedisConnection;
import io.herald.tasks.internal.store.RedisResqueStore;
import io.herald.tasks.internal.store.RedisStoreSettings;
import io.herald.tasks.internal.store.ResqueStore;

/**
 * The only class of the task processor's own code that names {@link RedisConnection}. The bundle imports
 * {@code io.herald.redis} optionally (a node without the Redis bundle runs its tasks in the node), so the component
 * that chooses the store never mentions that type in a field or signature: it receives the connection service as an
 * {@code Object}, and this class, loaded only when a {@code tasks} connection service exists (which implies the package
 * is wired), builds the store from it.
 */
public final class RedisStores {

    private RedisStores() {
    }

    /**
     * @param connection the {@code (herald.redis.connection=tasks)} service
     * @param namespace the key prefix; empty for {@code resque} ({@code {resque}} on a Cluster)
     * @throws IllegalArgumentException when the settings do not suit the connection (a Cluster namespace without a hash
     *     tag)
     */
    public static ResqueStore create(Object connection, String namespace, int waitReplicas, long waitTimeoutMillis) {
        return new RedisResqueStore((RedisConnection) connection,
                new RedisStoreSettings(namespace, waitReplicas, waitReplicas > 0 ? waitTimeoutMillis : 0));
    }
}
