package io.herald.tasks.internal.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.herald.redis.internal.RedisConnections;
import io.herald.tasks.internal.wire.JsDate;
import io.herald.tasks.internal.wire.Payloads;
import io.herald.testing.redis.RedisServer;
import io.herald.testing.redis.RespClient;

/**
 * A worker step that ran on Redis but whose reply never reached the worker (the connection was cut, or timed out) is
 * run again by {@code RedisConnection.execute}, which cannot know whether the first attempt ran. Both steps must give
 * the answer of the first run: a pop run again used to take the next job (or nothing) and overwrite the working-on
 * record, and the job the first run took was lost (no longer queued, never run, never failed, its worker alive); a
 * completion run again used to count the job twice and push its failure twice. Through a {@link ReplyDroppingProxy} to
 * a real redis-server.
 */
class LostReplyTest {

    private static final String A = "{\"class\":\"hello\",\"queue\":\"q\",\"args\":[{\"n\":\"A\"}]}";
    private static final String B = "{\"class\":\"hello\",\"queue\":\"q\",\"args\":[{\"n\":\"B\"}]}";
    private static final String WORKER = "host:1234+1";

    private static RedisServer server;
    private static ReplyDroppingProxy proxy;
    private static RedisConnections.Opened connection;
    private static RedisResqueStore store;

    @BeforeAll
    static void start() throws IOException {
        server = RedisServer.start();
        proxy = new ReplyDroppingProxy(server.port());
        // commands retried for 10 s, as a production tasks connection
        connection = StoreConnections.standalone(server.host(), proxy.port());
        store = new RedisResqueStore(connection);
    }

    @AfterAll
    static void stop() throws IOException {
        if (connection != null) {
            connection.close();
        }
        if (proxy != null) {
            proxy.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @BeforeEach
    void empty() {
        try (RespClient redis = server.client()) {
            redis.call("FLUSHALL");
        }
    }

    @Test
    void aPopWhoseReplyWasLostHandsBackTheJobItTook() {
        store.enqueue("q", A);
        store.enqueue("q", B);

        proxy.dropTheNextReplyOfType('*'); // an array: the claim, with the popped job
        assertEquals(A, store.popAndStore("q", WORKER, "q", JsDate.now()), "the job the first run took");
        assertTrue(proxy.dropped(), "the first run's reply was dropped");

        try (RespClient redis = server.client()) {
            assertEquals(List.of(B), redis.callList("LRANGE", "resque:queue:q", "0", "-1"), "B is still queued");
            assertEquals(A, Payloads.decodeWorkingOn(redis.callString("GET", "resque:worker:" + WORKER + ":q"))
                    .rawJob(), "A is what the worker works on");
        }
        store.completeJob(WORKER, "q", null);
        assertEquals(B, store.popAndStore("q", WORKER, "q", JsDate.now()));
    }

    @Test
    void aCompletionAndClaimWhoseReplyWasLostCountsTheFirstJobOnceAndHandsBackTheSecond() {
        store.enqueue("q", A);
        store.enqueue("q", B);
        ResqueStore.Claim first = store.completeAndClaim(WORKER, "q", null, List.of("q"), JsDate.now());
        assertEquals(A, first.job());

        proxy.dropTheNextReplyOfType('*');
        ResqueStore.Claim second = store.completeAndClaim(WORKER, "q", new ResqueStore.Completion(null, first.ended()),
                List.of("q"), JsDate.now());
        assertTrue(proxy.dropped(), "the first run's reply was dropped");

        assertEquals(B, second.job(), "the run again hands back the job the first run claimed");
        assertEquals("q", second.queue());
        assertEquals(first.ended() + 1, second.ended());
        try (RespClient redis = server.client()) {
            assertEquals("1", redis.callString("GET", "resque:stat:processed"), "A counted once, B not yet");
            assertEquals("1", redis.callString("GET", "resque:stat:processed:" + WORKER));
            assertEquals(0L, redis.call("LLEN", "resque:queue:q"));
            assertEquals(B, Payloads.decodeWorkingOn(redis.callString("GET", "resque:worker:" + WORKER + ":q"))
                    .rawJob(), "B is what the worker works on");
        }
    }

    @Test
    void aCompletionWhoseReplyWasLostCountsTheJobOnce() {
        store.enqueue("q", A);
        assertEquals(A, store.popAndStore("q", WORKER, "q", JsDate.now()));
        String failure = Payloads.encodeFailure(WORKER, "q", A, "Error", "boom", List.of("    at run (task.js:1:1)"),
                JsDate.now());

        proxy.dropTheNextReplyOfType(':'); // an integer: the script's 1
        store.completeJob(WORKER, "q", failure);
        assertTrue(proxy.dropped(), "the first run's reply was dropped");

        try (RespClient redis = server.client()) {
            assertEquals(List.of(failure), redis.callList("LRANGE", "resque:failed", "0", "-1"), "one failure entry");
            assertEquals("1", redis.callString("GET", "resque:stat:failed"));
            assertEquals("1", redis.callString("GET", "resque:stat:failed:" + WORKER));
            assertEquals(0L, redis.call("EXISTS", "resque:worker:" + WORKER + ":q"));
        }
    }
}
