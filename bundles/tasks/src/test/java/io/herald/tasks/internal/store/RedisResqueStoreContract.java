package io.herald.tasks.internal.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.herald.redis.RedisConnection;
import io.herald.tasks.internal.wire.JsJson;
import io.herald.tasks.internal.wire.Payloads;
import io.herald.testing.Await;
import io.herald.testing.redis.RespClient;

/**
 * The contract on Redis, plus node-resque's layout: the exact keys and values the store writes, read back with raw
 * commands.
 */
abstract class RedisResqueStoreContract extends ResqueStoreContract {

    private RedisResqueStore store;
    private RespClient raw;

    /** The tasks connection to the Redis under test. */
    abstract RedisConnection connection();

    /** A new raw client to the node that holds the store's keys. */
    abstract RespClient rawClient();

    /** Empties every node. */
    abstract void flushAll();

    @BeforeEach
    void emptyRedis() {
        flushAll();
        store = new RedisResqueStore(connection());
        raw = rawClient();
    }

    @AfterEach
    void closeRaw() {
        raw.close();
    }

    @Override
    ResqueStore store() {
        return store;
    }

    /** A raw command's reply. */
    Object raw(String... command) {
        return raw.call(command);
    }

    /** The full key of {@code name} in the store's namespace. */
    String key(String name) {
        return store.namespace() + ":" + name;
    }

    @Override
    void letExpire(String key, long ttlSeconds) {
        // Redis's own clock: wait (polling) until the key is gone, at most the TTL plus a generous margin
        Await.until(() -> ((Long) raw("EXISTS", key(key))) == 0, key(key) + " expired");
    }

    @Test
    void enqueueWritesNodeResquesQueueKeys() {
        store.enqueue("mail", J1);
        assertEquals(List.of(J1), raw.callList("LRANGE", key("queue:mail"), "0", "-1"));
        assertEquals(List.of("mail"), raw.callList("SMEMBERS", key("queues")));
    }

    @Test
    void scheduleWritesResqueSchedulersKeys() {
        store.schedule(1_418_421_676, J1);
        assertEquals(List.of(J1), raw.callList("LRANGE", key("delayed:1418421676"), "0", "-1"));
        assertEquals(List.of("delayed:1418421676"), raw.callList("SMEMBERS", key("timestamps:" + J1)),
                "members carry no namespace");
        assertEquals(List.of("1418421676", "1418421676"), raw.callList("ZRANGE", key("delayed_queue_schedule"), "0",
                "-1", "WITHSCORES"));
    }

    @Test
    void cleanupTimestampDropsASecondEmptiedByAnotherScheduler() {
        // node-resque's scheduler LPOPs delayed:<ts> one job at a time, then leaves the cleanup for later
        store.schedule(300, J1);
        raw("LPOP", key("delayed:300"));
        store.cleanupTimestamp(300);
        assertEquals(List.of(), raw.callList("ZRANGE", key("delayed_queue_schedule"), "0", "-1"));
        assertEquals(List.of(), store.delayedTimestamps());
    }

    @Test
    void workersWriteNodeResquesWorkerKeys() {
        store.registerWorker(WORKER, QUEUES, 1_418_421_676);
        assertEquals(List.of(WORKER + ":" + QUEUES), raw.callList("SMEMBERS", key("workers")));
        assertEquals("1418421676", raw("GET", key("worker:" + WORKER + ":" + QUEUES + ":started")));

        String ping = Payloads.encodePing(1_418_421_680, WORKER, QUEUES);
        store.ping(WORKER, ping);
        assertEquals(ping, raw("GET", key("worker:ping:" + WORKER)));

        store.enqueue("mail", J1);
        store.popAndStore("mail", WORKER, QUEUES, RUN_AT);
        Map<String, Object> workingOn = JsJson.parseObject((String) raw("GET", key("worker:" + WORKER + ":" + QUEUES)));
        assertEquals(Set.of("run_at", "queue", "payload", "worker"), workingOn.keySet());
        assertEquals(RUN_AT, workingOn.get("run_at"));
        assertEquals("mail", workingOn.get("queue"));
        assertEquals(WORKER, workingOn.get("worker"));
        assertEquals(JsJson.parse(J1), workingOn.get("payload"));

        String failure = failure(J1, "boom");
        store.completeJob(WORKER, QUEUES, failure);
        assertEquals(0L, raw("EXISTS", key("worker:" + WORKER + ":" + QUEUES)));
        assertEquals(List.of(failure), raw.callList("LRANGE", key("failed"), "0", "-1"));
        assertEquals("1", raw("GET", key("stat:failed")));
        assertEquals("1", raw("GET", key("stat:failed:" + WORKER)));

        store.enqueue("mail", J2);
        store.popAndStore("mail", WORKER, QUEUES, RUN_AT);
        store.completeJob(WORKER, QUEUES, null);
        assertEquals("1", raw("GET", key("stat:processed")));
        assertEquals("1", raw("GET", key("stat:processed:" + WORKER)));

        store.unregisterWorker(WORKER, QUEUES);
        assertEquals(Set.of(key("stat:failed"), key("stat:processed"), key("failed"), key("queues")),
                new HashSet<>(raw.callList("KEYS", key("*"))), "the worker's own keys are gone");
    }

    @Test
    void forceCleanWorkerAlsoDeletesTheKeysNodeResqueDeletes() {
        store.registerWorker(WORKER, QUEUES, 1_418_421_676);
        store.ping(WORKER, Payloads.encodePing(1_418_421_680, WORKER, QUEUES));
        raw("SET", key("worker:" + WORKER), "written by an old node-resque");
        store.enqueue("mail", J1);
        store.popAndStore("mail", WORKER, QUEUES, RUN_AT);
        store.forceCleanWorker(WORKER, QUEUES, failure(J1, "Worker Timeout (killed manually)"));
        assertEquals(Set.of(key("stat:failed"), key("failed"), key("queues")),
                new HashSet<>(raw.callList("KEYS", key("*"))));
    }

    @Test
    void theLeaderLockIsResqueSchedulersKeyWithItsTtl() {
        store.tryForLeader("scheduler-a", 180);
        assertEquals("scheduler-a", raw("GET", key("resque_scheduler_leader_lock")));
        long ttl = (Long) raw("TTL", key("resque_scheduler_leader_lock"));
        assertTrue(ttl > 0 && ttl <= 180, "TTL " + ttl);
        raw("EXPIRE", key("resque_scheduler_leader_lock"), "5");
        store.tryForLeader("scheduler-a", 180);
        assertTrue((Long) raw("TTL", key("resque_scheduler_leader_lock")) > 5, "renewed");
    }

    @Test
    void pluginKeysCarryTheirTtl() {
        store.setIfAbsent("workerslock:sayHello:mail:[{}]", "1418421676", 3600);
        assertEquals("1418421676", raw("GET", key("workerslock:sayHello:mail:[{}]")));
        long ttl = (Long) raw("TTL", key("workerslock:sayHello:mail:[{}]"));
        assertTrue(ttl > 3500 && ttl <= 3600, "TTL " + ttl);
        store.increment("resque-retry:sayHello:{}", 60);
        assertEquals("1", raw("GET", key("resque-retry:sayHello:{}")));
        assertTrue((Long) raw("TTL", key("resque-retry:sayHello:{}")) > 0);
        store.set("lock:x", "1", 0);
        assertEquals(-1L, raw("TTL", key("lock:x")), "no TTL");
    }

    @Test
    void scriptsRunAgainAfterTheServerForgotThem() {
        store.enqueue("mail", J1);
        raw("SCRIPT", "FLUSH");
        store.enqueue("mail", J2);
        assertEquals(List.of(J1, J2), store.queued("mail", 0, -1));
    }

    @Test
    void readsWhatNodeResqueWroteDirectly() {
        // as node-resque's Queue.enqueue and Scheduler would have written them
        raw("SADD", key("queues"), "mail");
        raw("RPUSH", key("queue:mail"), J1);
        raw("SET", key("stat:processed"), "41");
        raw("SET", key("worker:ping:other:9+1"), "{\"time\":1,\"name\":\"other:9+1\",\"queues\":\"*\"}");
        raw("ZADD", key("delayed_queue_schedule"), "77", "77");
        raw("RPUSH", key("delayed:77"), J2);
        assertEquals(Set.of("mail"), store.queues());
        assertEquals(J1, store.popAndStore("mail", WORKER, QUEUES, RUN_AT));
        assertEquals(41L, store.stats().get("processed"));
        assertEquals(Set.of("other:9+1"), store.pings().keySet());
        assertEquals(77L, store.nextDueTimestamp(100));
        assertNull(store.nextDueTimestamp(76));
    }
}
