package io.herald.core.internal.cache;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.herald.core.json.HeraldJson;

import io.herald.api.cache.Cache;
import io.herald.api.spi.ServerIdentity;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;

/**
 * The {@link Cache} of the embedded default, in this node's memory. It ranks lowest, so when the Redis bundle publishes
 * its cache, that one is used instead (Declarative Services picks the highest {@code service.ranking}).
 */
@Component(service = Cache.class, property = {"service.ranking:Integer=-1000", "herald.cache.store=local"})
public final class LocalCacheComponent implements Cache {

    private static final long SWEEP_SECONDS = 60;

    @Reference
    private ServerIdentity identity;

    private LocalCache cache;
    private ScheduledExecutorService sweeper;

    @Activate
    void activate() {
        LocalCache.Store store = new LocalCache.Store(System::currentTimeMillis);
        cache = new LocalCache(store, identity.id(), HeraldJson.mapper());
        sweeper = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "herald-local-cache-sweeper");
            t.setDaemon(true);
            return t;
        });
        sweeper.scheduleWithFixedDelay(store::sweep, SWEEP_SECONDS, SWEEP_SECONDS, TimeUnit.SECONDS);
    }

    @Deactivate
    void deactivate() {
        sweeper.shutdownNow();
    }

    @Override
    public void save(String key, Object value) {
        cache.save(key, value);
    }

    @Override
    public void save(String key, Object value, Duration expireIn) {
        cache.save(key, value, expireIn);
    }

    @Override
    public <T> Optional<T> load(String key, Class<T> type) {
        return cache.load(key, type);
    }

    @Override
    public <T> Optional<T> load(String key, Class<T> type, Duration expireIn) {
        return cache.load(key, type, expireIn);
    }

    @Override
    public boolean destroy(String key) {
        return cache.destroy(key);
    }

    @Override
    public List<String> keys(String prefix) {
        return cache.keys(prefix);
    }

    @Override
    public boolean lock(String key, Duration expireIn) {
        return cache.lock(key, expireIn);
    }

    @Override
    public boolean unlock(String key) {
        return cache.unlock(key);
    }

    @Override
    public boolean checkLock(String key) {
        return cache.checkLock(key);
    }

    @Override
    public String lockOwner() {
        return cache.lockOwner();
    }

    @Override
    public void push(String list, Object item) {
        cache.push(list, item);
    }

    @Override
    public <T> Optional<T> pop(String list, Class<T> type) {
        return cache.pop(list, type);
    }

    @Override
    public long listLength(String list) {
        return cache.listLength(list);
    }
}
