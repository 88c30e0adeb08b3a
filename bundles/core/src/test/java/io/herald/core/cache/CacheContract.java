package io.herald.core.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import io.herald.api.cache.Cache;
import io.herald.api.cache.CacheLockedException;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link Cache} implementation must do, run against each of them (the in-process one here, the Redis one in
 * the Redis bundle). Two caches with different lock owners share one store, as two nodes share a Redis.
 */
public abstract class CacheContract {

    /** A cache whose locks belong to {@code owner}, sharing its store with every other cache this test creates. */
    protected abstract Cache newCache(String owner);

    private Cache nodeA;
    private Cache nodeB;
    private String prefix;

    @BeforeEach
    void twoNodes() {
        nodeA = newCache("node-a");
        nodeB = newCache("node-b");
        // Each test uses its own keys, so implementations that share a store between tests stay independent.
        prefix = "contract-" + UUID.randomUUID() + "-";
    }

    private String key(String name) {
        return prefix + name;
    }

    public record Point(int x, int y) {
    }

    @Test
    void saved_values_are_loaded_by_every_node_as_the_type_asked_for() {
        nodeA.save(key("p"), new Point(1, 2));
        nodeA.save(key("s"), "text");
        nodeA.save(key("n"), 42);
        assertEquals(Optional.of(new Point(1, 2)), nodeB.load(key("p"), Point.class));
        assertEquals(Optional.of("text"), nodeB.load(key("s"), String.class));
        assertEquals(Optional.of(42L), nodeB.load(key("n"), Long.class));
        @SuppressWarnings("rawtypes")
        Optional<Map> asMap = nodeB.load(key("p"), Map.class);
        assertEquals(Map.of("x", 1, "y", 2), asMap.orElseThrow());
    }

    @Test
    void a_missing_key_loads_empty_and_destroy_says_whether_it_existed() {
        assertEquals(Optional.empty(), nodeA.load(key("none"), String.class));
        assertFalse(nodeA.destroy(key("none")));
        nodeA.save(key("x"), "v");
        assertTrue(nodeB.destroy(key("x")));
        assertEquals(Optional.empty(), nodeA.load(key("x"), String.class));
    }

    @Test
    void saving_again_replaces_the_value() {
        nodeA.save(key("x"), "first");
        nodeB.save(key("x"), "second");
        assertEquals(Optional.of("second"), nodeA.load(key("x"), String.class));
    }

    @Test
    void values_expire() {
        nodeA.save(key("short"), "v", Duration.ofMillis(300));
        nodeA.save(key("long"), "v", Duration.ofMinutes(5));
        assertEquals(Optional.of("v"), nodeA.load(key("short"), String.class));
        awaitTrue(() -> nodeA.load(key("short"), String.class).isEmpty(), "the value expired");
        assertEquals(Optional.of("v"), nodeA.load(key("long"), String.class));
    }

    @Test
    void loading_with_an_expiry_sets_a_new_one() {
        nodeA.save(key("x"), "v");
        assertEquals(Optional.of("v"), nodeA.load(key("x"), String.class, Duration.ofMillis(300)));
        awaitTrue(() -> nodeA.load(key("x"), String.class).isEmpty(), "the value expired after the load set an expiry");
        assertEquals(Optional.empty(), nodeA.load(key("missing"), String.class, Duration.ofSeconds(1)));
    }

    @Test
    void a_value_that_cannot_be_read_as_the_type_asked_for_is_a_clear_error() {
        nodeA.save(key("x"), "not a number");
        assertThrows(IllegalArgumentException.class, () -> nodeA.load(key("x"), Integer.class));
    }

    @Test
    void keys_lists_live_values_by_prefix() {
        nodeA.save(key("a1"), 1);
        nodeA.save(key("a2"), 2);
        nodeA.save(key("b1"), 3);
        nodeA.save(key("a3"), 4, Duration.ofMillis(200));
        nodeA.push(key("alist"), "item");
        nodeA.lock(key("a4"), Duration.ofMinutes(1));
        awaitTrue(() -> nodeA.keys(key("a")).size() == 2, "the expired key is gone");
        assertEquals(List.of(key("a1"), key("a2")), nodeB.keys(key("a")));
        assertTrue(nodeB.keys("").containsAll(List.of(key("a1"), key("a2"), key("b1"))));
    }

    @Test
    void a_lock_belongs_to_its_owner() {
        assertTrue(nodeA.lock(key("l"), Duration.ofMinutes(1)));
        assertTrue(nodeA.lock(key("l"), Duration.ofMinutes(1)), "the owner may take its lock again");
        assertFalse(nodeB.lock(key("l"), Duration.ofMinutes(1)));
        assertTrue(nodeA.checkLock(key("l")));
        assertFalse(nodeB.checkLock(key("l")));
        assertFalse(nodeB.unlock(key("l")), "only the owner releases a lock");
        assertTrue(nodeA.unlock(key("l")));
        assertFalse(nodeA.unlock(key("l")), "nothing left to release");
        assertTrue(nodeB.checkLock(key("l")));
        assertTrue(nodeB.lock(key("l"), Duration.ofMinutes(1)));
        assertEquals("node-a", nodeA.lockOwner());
    }

    @Test
    void a_lock_held_by_another_owner_blocks_save_load_and_destroy() {
        nodeA.save(key("v"), "before");
        assertTrue(nodeB.lock(key("v"), Duration.ofMinutes(1)));
        assertThrows(CacheLockedException.class, () -> nodeA.save(key("v"), "after"));
        assertThrows(CacheLockedException.class, () -> nodeA.load(key("v"), String.class));
        CacheLockedException e = assertThrows(CacheLockedException.class, () -> nodeA.destroy(key("v")));
        assertEquals(key("v"), e.key());
        nodeB.save(key("v"), "owner writes");
        assertEquals(Optional.of("owner writes"), nodeB.load(key("v"), String.class));
        nodeB.unlock(key("v"));
        assertEquals(Optional.of("owner writes"), nodeA.load(key("v"), String.class));
    }

    @Test
    void locks_expire_so_a_dead_owner_does_not_hold_them_forever() {
        assertTrue(nodeA.lock(key("l"), Duration.ofMillis(300)));
        assertFalse(nodeB.lock(key("l"), Duration.ofMinutes(1)));
        awaitTrue(() -> nodeB.lock(key("l"), Duration.ofMinutes(1)), "the expired lock is free");
        assertFalse(nodeA.checkLock(key("l")));
    }

    @Test
    void only_one_of_many_concurrent_lockers_wins() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Boolean>> attempts = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                Cache node = newCache("racer-" + i);
                attempts.add(pool.submit(() -> node.lock(key("race"), Duration.ofMinutes(1))));
            }
            int winners = 0;
            for (Future<Boolean> attempt : attempts) {
                winners += attempt.get(30, TimeUnit.SECONDS) ? 1 : 0;
            }
            assertEquals(1, winners);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void lists_are_fifo_queues_shared_by_every_node() {
        assertEquals(0, nodeA.listLength(key("q")));
        assertEquals(Optional.empty(), nodeA.pop(key("q"), String.class));
        nodeA.push(key("q"), "first");
        nodeB.push(key("q"), new Point(3, 4));
        nodeA.push(key("q"), "third");
        assertEquals(3, nodeB.listLength(key("q")));
        assertEquals(Optional.of("first"), nodeB.pop(key("q"), String.class));
        assertEquals(Optional.of(new Point(3, 4)), nodeA.pop(key("q"), Point.class));
        assertEquals(Optional.of("third"), nodeB.pop(key("q"), String.class));
        assertEquals(Optional.empty(), nodeA.pop(key("q"), String.class));
        assertEquals(0, nodeA.listLength(key("q")));
    }

    @Test
    void no_item_is_popped_twice_by_concurrent_consumers() throws Exception {
        for (int i = 0; i < 200; i++) {
            nodeA.push(key("work"), i);
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<List<Integer>>> consumers = new ArrayList<>();
            for (int c = 0; c < 4; c++) {
                Cache node = newCache("consumer-" + c);
                consumers.add(pool.submit(() -> {
                    List<Integer> got = new ArrayList<>();
                    for (Optional<Integer> item; (item = node.pop(key("work"), Integer.class)).isPresent();) {
                        got.add(item.get());
                    }
                    return got;
                }));
            }
            List<Integer> all = new ArrayList<>();
            for (Future<List<Integer>> consumer : consumers) {
                all.addAll(consumer.get(30, TimeUnit.SECONDS));
            }
            all.sort(null);
            List<Integer> expected = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                expected.add(i);
            }
            assertEquals(expected, all);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void expiries_must_be_positive() {
        assertThrows(IllegalArgumentException.class, () -> nodeA.save(key("x"), "v", Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> nodeA.lock(key("x"), Duration.ofMillis(-1)));
    }

    /** Polls a condition that time makes true (an expiry), for up to 10 s. */
    protected static void awaitTrue(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not true within 10 s: " + what);
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for: " + what);
            }
        }
    }
}
