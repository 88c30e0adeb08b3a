package io.herald.tasks.internal.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.herald.redis.internal.RedisConnections;
import io.herald.tasks.internal.wire.JsDate;
import io.herald.tasks.internal.wire.Payloads;
import io.herald.testing.Await;
import io.herald.testing.redis.RedisServer;
import io.herald.testing.redis.RespClient;

/**
 * {@code waitReplicas}: on a real leader with one real replica ({@code replicaof}), the durable writes have reached the
 * replica when they return, and a write fewer replicas acknowledge than asked for fails although the leader has it.
 */
class ReplicatedWriteTest {

    private static final String J1 = Payloads.encodeJob("sayHello", "mail", List.of(Map.of("name", "x")));
    private static final String J2 = Payloads.encodeJob("sayHello", "mail", List.of(Map.of("name", "y")));
    private static final String WORKER = "host:1+1";

    private static RedisServer leader;
    private static RedisServer replica;
    private static RedisConnections.Opened connection;

    @BeforeAll
    static void startLeaderAndReplica() {
        leader = RedisServer.start();
        replica = RedisServer.builder().config("replicaof", leader.host() + " " + leader.port()).start();
        Await.until(() -> {
            try (RespClient client = replica.client()) {
                return "up".equals(client.info("replication").get("master_link_status"));
            }
        }, "the replica in sync with the leader");
        connection = StoreConnections.standalone(leader);
    }

    @AfterAll
    static void stop() {
        if (connection != null) {
            connection.close();
        }
        if (replica != null) {
            replica.close();
        }
        if (leader != null) {
            leader.close();
        }
    }

    @BeforeEach
    void emptyRedis() {
        try (RespClient client = leader.client()) {
            client.call("FLUSHALL");
            client.call("WAIT", "1", "5000");
        }
    }

    @Test
    void durableWritesHaveReachedTheReplicaWhenTheyReturn() {
        RedisResqueStore store = new RedisResqueStore(connection, RedisStoreSettings.defaults().withWait(1, 5000));
        try (RespClient onReplica = replica.client()) {
            store.enqueue("mail", J1);
            assertEquals(List.of(J1), onReplica.callList("LRANGE", "resque:queue:mail", "0", "-1"));

            assertTrue(store.schedule(100, J2));
            assertEquals(List.of(J2), onReplica.callList("LRANGE", "resque:delayed:100", "0", "-1"));

            assertTrue(store.transferDelayed(100, J2, "mail"));
            assertEquals(List.of(J1, J2), onReplica.callList("LRANGE", "resque:queue:mail", "0", "-1"));

            store.popAndStore("mail", WORKER, "mail", JsDate.now());
            String failure = Payloads.encodeFailure(WORKER, "mail", J1, "Error", "boom", List.of(), JsDate.now());
            store.completeJob(WORKER, "mail", failure);
            assertEquals(List.of(failure), onReplica.callList("LRANGE", "resque:failed", "0", "-1"));
            assertEquals("1", onReplica.call("GET", "resque:stat:failed"));

            assertTrue(store.retryFailed(failure, "mail", J1));
            assertEquals(List.of(J2, J1), onReplica.callList("LRANGE", "resque:queue:mail", "0", "-1"));
            assertEquals(List.of(), onReplica.callList("LRANGE", "resque:failed", "0", "-1"));

            try (RespClient onLeader = leader.client()) {
                onLeader.call("SCRIPT", "FLUSH");
            }
            assertTrue(store.schedule(200, J1), "a script the leader forgot (NOSCRIPT, then EVAL) waits as well");
            assertEquals(List.of(J1), onReplica.callList("LRANGE", "resque:delayed:200", "0", "-1"));
        }
    }

    @Test
    void aWriteTooFewReplicasAcknowledgedFails() {
        RedisResqueStore store = new RedisResqueStore(connection, RedisStoreSettings.defaults().withWait(2, 200));
        StoreUnavailableException error = assertThrows(StoreUnavailableException.class,
                () -> store.enqueue("mail", J1));
        assertTrue(error.getMessage().contains("only 1 of 2 replica(s)"), error.getMessage());
        try (RespClient onLeader = leader.client()) {
            assertEquals(List.of(J1), onLeader.callList("LRANGE", "resque:queue:mail", "0", "-1"),
                    "the leader has it: the caller cannot know whether it survives, so it is reported as failed");
        }
        store.releaseJob(WORKER, "mail"); // writes that need no replica do not wait and do not fail
    }

    @Test
    void waitNeedsATimeout() {
        assertThrows(IllegalArgumentException.class, () -> new RedisStoreSettings(null, 1, 0));
        assertThrows(IllegalArgumentException.class, () -> new RedisStoreSettings(null, -1, 100));
        assertThrows(IllegalArgumentException.class, () -> new RedisStoreSettings(null, 0, -1));
        assertEquals(false, new RedisStoreSettings(" ", 0, 0).waits());
        assertEquals("resque", new RedisResqueStore(connection, new RedisStoreSettings(" ", 0, 0)).namespace());
    }
}
