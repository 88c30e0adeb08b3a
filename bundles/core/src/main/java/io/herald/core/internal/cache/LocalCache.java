package io.herald.core.internal.cache;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.function.LongSupplier;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.herald.api.cache.Cache;
import io.herald.api.cache.CacheLockedException;

/**
 * The cache of the embedded default: one node, values in memory. Values are kept as JSON, as in Redis, so callers get
 * copies and the same type conversions whichever implementation serves them.
 *
 * <p>Several instances may share one {@link Store}, each with its own lock owner: that is how two "nodes" in one JVM
 * (and the contract tests) see each other's locks.
 */
public final class LocalCache implements Cache {

    /** The shared state: values, locks and lists. */
    public static final class Store {
        private final Map<String, Entry> values = new ConcurrentHashMap<>();
        private final Map<String, Entry> locks = new ConcurrentHashMap<>();
        private final Map<String, ConcurrentLinkedDeque<String>> lists = new ConcurrentHashMap<>();
        private final LongSupplier clockMillis;

        public Store(LongSupplier clockMillis) {
            this.clockMillis = clockMillis;
        }

        /** Drops expired values and locks; reads skip them anyway, this only frees their memory. */
        public void sweep() {
            long now = clockMillis.getAsLong();
            values.values().removeIf(e -> e.expired(now));
            locks.values().removeIf(e -> e.expired(now));
        }
    }

    /** A value (JSON) or a lock (its owner), with its expiry in epoch millis, or 0 for never. */
    private record Entry(String data, long expiresAt) {
        boolean expired(long now) {
            return expiresAt != 0 && now >= expiresAt;
        }
    }

    private final Store store;
    private final String owner;
    private final ObjectMapper mapper;

    public LocalCache(Store store, String owner, ObjectMapper mapper) {
        this.store = store;
        this.owner = owner;
        this.mapper = mapper;
    }

    @Override
    public void save(String key, Object value) {
        put(key, value, 0);
    }

    @Override
    public void save(String key, Object value, Duration expireIn) {
        put(key, value, expiry(expireIn));
    }

    private void put(String key, Object value, long expiresAt) {
        requireUnlocked(key);
        store.values.put(key, new Entry(json(value), expiresAt));
    }

    @Override
    public <T> Optional<T> load(String key, Class<T> type) {
        requireUnlocked(key);
        return read(live(store.values, key), type);
    }

    @Override
    public <T> Optional<T> load(String key, Class<T> type, Duration expireIn) {
        requireUnlocked(key);
        long expiresAt = expiry(expireIn);
        Entry refreshed = store.values.computeIfPresent(key,
                (k, e) -> e.expired(now()) ? null : new Entry(e.data(), expiresAt));
        return read(refreshed, type);
    }

    @Override
    public boolean destroy(String key) {
        requireUnlocked(key);
        Entry removed = store.values.remove(key);
        return removed != null && !removed.expired(now());
    }

    @Override
    public List<String> keys(String prefix) {
        long now = now();
        List<String> keys = new ArrayList<>();
        store.values.forEach((k, e) -> {
            if (!e.expired(now) && k.startsWith(prefix)) {
                keys.add(k);
            }
        });
        keys.sort(null);
        return keys;
    }

    @Override
    public boolean lock(String key, Duration expireIn) {
        long expiresAt = expiry(expireIn);
        Entry mine = new Entry(owner, expiresAt);
        Entry held = store.locks.compute(key, (k, e) -> e == null || e.expired(now()) || e.data().equals(owner) ? mine : e);
        return held == mine;
    }

    @Override
    public boolean unlock(String key) {
        boolean[] released = {false};
        store.locks.computeIfPresent(key, (k, e) -> {
            if (!e.expired(now()) && e.data().equals(owner)) {
                released[0] = true;
                return null;
            }
            return e.expired(now()) ? null : e;
        });
        return released[0];
    }

    @Override
    public boolean checkLock(String key) {
        Entry lock = live(store.locks, key);
        return lock == null || lock.data().equals(owner);
    }

    @Override
    public String lockOwner() {
        return owner;
    }

    @Override
    public void push(String list, Object item) {
        store.lists.computeIfAbsent(list, l -> new ConcurrentLinkedDeque<>()).addLast(json(item));
    }

    @Override
    public <T> Optional<T> pop(String list, Class<T> type) {
        ConcurrentLinkedDeque<String> items = store.lists.get(list);
        String head = items == null ? null : items.pollFirst();
        return head == null ? Optional.empty() : Optional.of(parse(head, type));
    }

    @Override
    public long listLength(String list) {
        ConcurrentLinkedDeque<String> items = store.lists.get(list);
        return items == null ? 0 : items.size();
    }

    private void requireUnlocked(String key) {
        if (!checkLock(key)) {
            throw new CacheLockedException(key);
        }
    }

    private Entry live(Map<String, Entry> map, String key) {
        Entry entry = map.get(key);
        if (entry != null && entry.expired(now())) {
            map.remove(key, entry);
            return null;
        }
        return entry;
    }

    private <T> Optional<T> read(Entry entry, Class<T> type) {
        return entry == null ? Optional.empty() : Optional.of(parse(entry.data(), type));
    }

    private long expiry(Duration expireIn) {
        if (expireIn.isNegative() || expireIn.isZero()) {
            throw new IllegalArgumentException("expiry must be positive, was " + expireIn);
        }
        return now() + expireIn.toMillis();
    }

    private long now() {
        return store.clockMillis.getAsLong();
    }

    private String json(Object value) {
        try {
            return mapper.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot store a " + value.getClass().getName() + " as JSON: " + e.getOriginalMessage(), e);
        }
    }

    private <T> T parse(String json, Class<T> type) {
        try {
            return mapper.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("the stored value cannot be read as " + type.getSimpleName() + ": "
                    + e.getOriginalMessage(), e);
        }
    }
}
