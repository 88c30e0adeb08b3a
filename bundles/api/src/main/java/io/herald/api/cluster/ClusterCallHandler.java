package io.herald.api.cluster;

import java.util.Map;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Runs a cluster call on this node. Register it as a service carrying {@link ClusterMethod}; the core then runs it
 * whenever any node calls that method with {@link ClusterBus#callAll} or {@link ClusterBus#callConnectionOwner}.
 *
 * <pre>{@code
 * @Component
 * @ClusterMethod("cache.flush")
 * public class FlushLocalCache implements ClusterCallHandler {
 *     public Object handle(Map<String, Object> args) {
 *         return Map.of("flushed", localCache.flush((String) args.get("prefix")));
 *     }
 * }
 * }</pre>
 *
 * <p>When several handlers are registered for one method, the one with the highest {@code service.ranking} runs.
 *
 * @since 1.0
 */
@ConsumerType
@FunctionalInterface
public interface ClusterCallHandler {

    /**
     * @param args the caller's arguments, as JSON-shaped values: maps, lists, strings, numbers, booleans, nulls
     * @return the result, anything Jackson can write, or {@code null}
     * @throws Exception any failure: the caller receives an error reply carrying its message
     */
    Object handle(Map<String, Object> args) throws Exception;
}
