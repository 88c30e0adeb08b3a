package io.herald.api.cache;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Values, locks and lists shared by the nodes of a cluster (Actionhero's {@code api.cache}).
 *
 * <p>Values are stored as JSON, so anything Jackson can write can be saved, and {@link #load} reads it back as the
 * type asked for. Keys are namespaced by the implementation: {@code key} here is the caller's name only.
 *
 * <p><b>Locks.</b> A lock belongs to an owner: this node's {@linkplain #lockOwner() lock owner} name. While another owner
 * holds the lock of a key, {@link #save}, {@link #load} and {@link #destroy} of that key throw
 * {@link CacheLockedException}, as Actionhero's "Object locked". Locks expire, so a node that dies does not hold one
 * forever.
 *
 * <p><b>Failures.</b> When the store cannot be reached (a Redis failover longer than the connection's retry window, say)
 * every method throws {@link CacheUnavailableException}; nothing fails silently.
 *
 * @since 1.0
 */
@ProviderType
public interface Cache {

    /** Saves a value that never expires. @throws CacheLockedException when another owner holds the key's lock */
    void save(String key, Object value);

    /** Saves a value that expires after {@code expireIn}. @throws CacheLockedException when another owner holds the key's lock */
    void save(String key, Object value, Duration expireIn);

    /**
     * The value of a key, read as {@code type}, or empty when there is none (or it expired).
     *
     * @throws CacheLockedException when another owner holds the key's lock
     * @throws IllegalArgumentException when the stored value cannot be read as {@code type}
     */
    <T> Optional<T> load(String key, Class<T> type);

    /**
     * Like {@link #load(String, Class)}, and sets the key to expire {@code expireIn} from now (Actionhero's
     * {@code load(key, {expireTimeMS})}).
     */
    <T> Optional<T> load(String key, Class<T> type, Duration expireIn);

    /** Removes a key. @return whether it existed @throws CacheLockedException when another owner holds the key's lock */
    boolean destroy(String key);

    /** The keys saved (not the locks nor the lists' internals) that start with {@code prefix}; empty prefix for all. */
    List<String> keys(String prefix);

    /** Takes the lock of a key for {@code expireIn}. @return false when another owner holds it; true when it is ours now */
    boolean lock(String key, Duration expireIn);

    /** Releases the lock of a key if this owner holds it. @return whether a lock of ours was released */
    boolean unlock(String key);

    /** @return true when the key's lock is free or held by this owner (Actionhero's {@code checkLock}) */
    boolean checkLock(String key);

    /** Who holds locks taken through this service: the server id unless configured otherwise. */
    String lockOwner();

    /** Appends an item to the end of a list shared by every node. */
    void push(String list, Object item);

    /** Takes the item at the head of a list, or empty when the list is empty: lists are FIFO queues. */
    <T> Optional<T> pop(String list, Class<T> type);

    /** How many items a list holds. */
    long listLength(String list);
}
