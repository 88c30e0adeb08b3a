package io.herald.tasks.internal.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

/** The embedded store passes the contract; its expiries follow the clock it is given, to the millisecond. */
class MemoryResqueStoreTest extends ResqueStoreContract {

    private final MutableClock clock = new MutableClock(Instant.parse("2014-12-12T22:01:16Z"));
    private final MemoryResqueStore store = new MemoryResqueStore(clock);

    @Override
    ResqueStore store() {
        return store;
    }

    @Override
    void letExpire(String key, long ttlSeconds) {
        clock.advance(Duration.ofSeconds(ttlSeconds));
    }

    @Test
    void aKeyLivesExactlyItsTtl() {
        store.set("lock:a", "1", 60);
        clock.advance(Duration.ofMillis(59_999));
        assertEquals("1", store.get("lock:a"));
        clock.advance(Duration.ofMillis(1));
        assertNull(store.get("lock:a"));
        assertTrue(store.scan("lock:*").isEmpty());
    }

    @Test
    void renewingTheLeaderLockRestartsItsTtl() {
        assertTrue(store.tryForLeader("a", 60));
        clock.advance(Duration.ofSeconds(50));
        assertTrue(store.tryForLeader("a", 60));
        clock.advance(Duration.ofSeconds(50));
        assertFalse(store.tryForLeader("b", 60), "renewed 50 s ago for 60 s: still held");
        clock.advance(Duration.ofSeconds(10));
        assertTrue(store.tryForLeader("b", 60));
    }

    @Test
    void incrementKeepsTheTtlItHadWhenGivenNone() {
        assertEquals(1, store.increment("resque-retry:a", 10));
        clock.advance(Duration.ofSeconds(5));
        assertEquals(2, store.increment("resque-retry:a", 0), "INCR keeps the key's TTL");
        clock.advance(Duration.ofSeconds(5));
        assertNull(store.get("resque-retry:a"));
        store.set("k", "v", 10);
        store.set("k", "w", 0);
        clock.advance(Duration.ofDays(365));
        assertEquals("w", store.get("k"), "SET without EX clears the TTL");
    }

    @Test
    void reportsTheNamespaceItWasGiven() {
        assertEquals("resque", store.namespace());
        assertEquals("jobs", new MemoryResqueStore(clock, "jobs").namespace());
    }
}
