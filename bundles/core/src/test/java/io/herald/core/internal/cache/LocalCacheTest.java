package io.herald.core.internal.cache;

import com.fasterxml.jackson.databind.json.JsonMapper;

import io.herald.api.cache.Cache;
import io.herald.core.cache.CacheContract;

/** The in-process cache of the embedded default against the cache contract. */
class LocalCacheTest extends CacheContract {

    private final LocalCache.Store store = new LocalCache.Store(System::currentTimeMillis);

    @Override
    protected Cache newCache(String owner) {
        return new LocalCache(store, owner, JsonMapper.builder().build());
    }
}
