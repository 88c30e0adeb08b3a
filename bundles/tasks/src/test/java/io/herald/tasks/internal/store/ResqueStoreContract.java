package io.herald.tasks.internal.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.herald.tasks.internal.wire.JsDate;
import io.herald.tasks.internal.wire.JsJson;
import io.herald.tasks.internal.wire.Payloads;
import io.herald.tasks.internal.wire.WorkingOn;

/**
 * What every {@link ResqueStore} does, whatever keeps the data: run against {@link MemoryResqueStore} and
 * {@link RedisResqueStore} on a standalone Redis and on a Redis Cluster. Each test starts from an empty store.
 */
abstract class ResqueStoreContract {

    static final String J1 = Payloads.encodeJob("sayHello", "mail", List.of(Map.of("name", "x")));
    static final String J2 = Payloads.encodeJob("sayHello", "mail", List.of(Map.of("name", "y")));
    static final String J3 = Payloads.encodeJob("cleanUp", "other", List.of(Map.of()));
    static final String WORKER = "host:1234+1";
    static final String QUEUES = "mail,other";
    static final String RUN_AT = "Fri Dec 12 2014 14:01:16 GMT-0800 (Pacific Standard Time)";

    /** The store under test, empty at the start of each test. */
    abstract ResqueStore store();

    /** Lets {@code key} (without namespace), which was given a TTL of {@code ttlSeconds}, expire. */
    abstract void letExpire(String key, long ttlSeconds);

    static String failure(String job, String error) {
        return Payloads.encodeFailure(WORKER, "mail", job, "Error", error, List.of("    at run (task.js:1:1)"),
                JsDate.now());
    }

    // ---------------------------------------------------------------------------------------------- queues

    @Test
    void enqueueAddsTheQueueAndAppendsTheJob() {
        store().enqueue("mail", J1);
        store().enqueue("mail", J2);
        store().enqueue("other", J3);
        assertEquals(Set.of("mail", "other"), store().queues());
        assertEquals(2, store().length("mail"));
        assertEquals(List.of(J1, J2), store().queued("mail", 0, -1));
        assertEquals(List.of(J2), store().queued("mail", -1, -1));
        assertEquals(List.of(J1), store().queued("mail", 0, 0));
        assertEquals(List.of(), store().queued("mail", 5, 10));
        assertEquals(0, store().length("none"));
        assertEquals(List.of(), store().queued("none", 0, -1));
    }

    @Test
    void enqueueAllAppendsTheJobsInOrderAsManyEnqueuesWould() {
        store().enqueue("mail", J1);
        store().enqueueAll("mail", List.of(J2, J1, J2));
        store().enqueueAll("other", List.of());
        assertEquals(Set.of("mail"), store().queues(), "an empty batch creates no queue");
        assertEquals(List.of(J1, J2, J1, J2), store().queued("mail", 0, -1));
        List<String> many = new java.util.ArrayList<>();
        for (int i = 0; i < 2500; i++) {
            many.add(Payloads.encodeJob("cleanUp", "other", List.of(Map.of("n", i))));
        }
        store().enqueueAll("other", many);
        assertEquals(many, store().queued("other", 0, -1), "more than one script's worth, in order");
    }

    @Test
    void removeQueuedRemovesEqualJobsFromTheHeadTheTailOrEverywhere() {
        for (String job : List.of(J1, J2, J1, J1)) {
            store().enqueue("mail", job);
        }
        assertEquals(1, store().removeQueued("mail", J1, 1));
        assertEquals(List.of(J2, J1, J1), store().queued("mail", 0, -1));
        assertEquals(1, store().removeQueued("mail", J1, -1));
        assertEquals(List.of(J2, J1), store().queued("mail", 0, -1));
        store().enqueue("mail", J1);
        assertEquals(2, store().removeQueued("mail", J1, 0));
        assertEquals(List.of(J2), store().queued("mail", 0, -1));
        assertEquals(0, store().removeQueued("mail", J3, 0));
        assertEquals(0, store().removeQueued("none", J3, 0));
    }

    @Test
    void deleteQueueRemovesTheListAndTheName() {
        store().enqueue("mail", J1);
        store().enqueue("other", J3);
        store().deleteQueue("mail");
        assertEquals(Set.of("other"), store().queues());
        assertEquals(0, store().length("mail"));
        assertEquals(1, store().length("other"));
        store().deleteQueue("none");
        assertEquals(Set.of("other"), store().queues());
    }

    // ---------------------------------------------------------------------------------------------- delayed jobs

    @Test
    void scheduleRefusesTheSameJobAtTheSameSecond() {
        assertTrue(store().schedule(100, J1));
        assertFalse(store().schedule(100, J1), "node-resque: Job already enqueued at this time with same arguments");
        assertTrue(store().schedule(200, J1));
        assertTrue(store().schedule(100, J2));
        assertEquals(List.of(100L, 200L), store().scheduledAt(J1));
        assertEquals(List.of(100L), store().scheduledAt(J2));
        assertEquals(List.of(), store().scheduledAt(J3));
        assertEquals(List.of(100L, 200L), store().delayedTimestamps());
        assertEquals(List.of(J1, J2), store().delayedAt(100));
        assertEquals(List.of(), store().delayedAt(300));
        assertNull(store().nextDueTimestamp(99));
        assertEquals(100L, store().nextDueTimestamp(100));
        assertEquals(100L, store().nextDueTimestamp(1000));
        assertEquals(J1, store().peekDelayed(100));
        assertNull(store().peekDelayed(300));
    }

    @Test
    void unscheduleRemovesTheJobFromEverySecondItIsScheduledAt() {
        store().schedule(100, J1);
        store().schedule(200, J1);
        store().schedule(100, J2);
        assertEquals(List.of(100L, 200L), store().unschedule(J1));
        assertEquals(List.of(), store().scheduledAt(J1));
        assertEquals(List.of(J2), store().delayedAt(100));
        assertEquals(List.of(100L), store().delayedTimestamps(), "second 200 emptied, so off the schedule");
        assertEquals(List.of(), store().unschedule(J1));
        assertTrue(store().schedule(200, J1), "schedulable again");
    }

    @Test
    void transferDelayedMovesOneJobOrDropsIt() {
        store().schedule(100, J1);
        store().schedule(100, J2);
        assertTrue(store().transferDelayed(100, J1, "mail"));
        assertEquals(List.of(J1), store().queued("mail", 0, -1));
        assertEquals(Set.of("mail"), store().queues());
        assertEquals(List.of(), store().scheduledAt(J1));
        assertEquals(List.of(J2), store().delayedAt(100));
        assertEquals(List.of(100L), store().delayedTimestamps());

        assertFalse(store().transferDelayed(100, J1, "mail"), "no longer there: nothing done");
        assertEquals(1, store().length("mail"));

        assertTrue(store().transferDelayed(100, J2, null), "a plugin declined it: dropped");
        assertEquals(1, store().length("mail"));
        assertEquals(List.of(), store().scheduledAt(J2));
        assertEquals(List.of(), store().delayedTimestamps(), "the emptied second leaves the schedule");
        assertNull(store().nextDueTimestamp(Long.MAX_VALUE));
    }

    @Test
    void cleanupTimestampKeepsASecondThatStillHasJobs() {
        store().schedule(100, J1);
        store().cleanupTimestamp(100);
        assertEquals(List.of(100L), store().delayedTimestamps());
        assertEquals(List.of(J1), store().delayedAt(100));
        store().cleanupTimestamp(999);
        assertEquals(List.of(100L), store().delayedTimestamps());
    }

    // ---------------------------------------------------------------------------------------------- workers

    @Test
    void popAndStoreTakesTheHeadAndRecordsWhatTheWorkerWorksOn() {
        store().enqueue("mail", J1);
        store().enqueue("mail", J2);
        assertEquals(J1, store().popAndStore("mail", WORKER, QUEUES, RUN_AT));
        assertEquals(List.of(J2), store().queued("mail", 0, -1));
        WorkingOn workingOn = Payloads.decodeWorkingOn(store().workingOn(WORKER, QUEUES));
        assertEquals(new WorkingOn(RUN_AT, "mail", WORKER, Payloads.decodeWorkingOn(
                Payloads.encodeWorkingOn(RUN_AT, "mail", J1, WORKER)).payload()), workingOn);
        assertEquals(J1, workingOn.rawJob());
        store().completeJob(WORKER, QUEUES, null);

        assertEquals(J2, store().popAndStore("mail", WORKER, QUEUES, RUN_AT));
        store().completeJob(WORKER, QUEUES, null);
        assertNull(store().popAndStore("mail", WORKER, QUEUES, RUN_AT));
        assertNull(store().workingOn(WORKER, QUEUES), "an empty pop records nothing");
        assertNull(store().popAndStore("none", WORKER, QUEUES, RUN_AT));
        assertEquals(Set.of("mail"), store().queues(), "an emptied queue keeps its name, as in node-resque");
    }

    @Test
    void popAndStoreKeepsAPayloadThatIsNotJson() {
        store().enqueue("mail", "this is {not json");
        assertEquals("this is {not json", store().popAndStore("mail", WORKER, QUEUES, RUN_AT));
        WorkingOn workingOn = Payloads.decodeWorkingOn(store().workingOn(WORKER, QUEUES));
        assertEquals("this is {not json", workingOn.rawJob());
        assertNull(workingOn.job());
        store().completeJob(WORKER, QUEUES, failure("this is {not json", "job payload is not JSON"));
        for (String notAJob : List.of("\"a JSON string\"", "[1,2]", " " + J1, "{\"a\":1")) {
            store().enqueue("mail", notAJob);
            assertEquals(notAJob, store().popAndStore("mail", WORKER, QUEUES, RUN_AT));
            assertEquals(notAJob, Payloads.decodeWorkingOn(store().workingOn(WORKER, QUEUES)).rawJob(),
                    "what is not a JSON object is recorded as its text");
            store().releaseJob(WORKER, QUEUES);
        }
        assertEquals(0, store().length("mail"));
    }

    @Test
    void aWorkerHoldsOneJobAndEveryPopHandsItBackUntilItEnds() {
        store().enqueue("mail", J1);
        store().enqueue("mail", J2);
        store().enqueue("other", J3);
        assertEquals(J1, store().popAndStore("mail", WORKER, QUEUES, RUN_AT));
        String record = store().workingOn(WORKER, QUEUES);

        // a pop run again (its reply was lost) or a pop of another queue: the held job, and nothing else changes
        assertEquals(J1, store().popAndStore("mail", WORKER, QUEUES, RUN_AT));
        assertEquals(J1, store().popAndStore("other", WORKER, QUEUES, "Sat Dec 13 2014 10:00:00 GMT+0000"));
        assertEquals(J1, store().popAndStore("none", WORKER, QUEUES, RUN_AT));
        assertEquals(record, store().workingOn(WORKER, QUEUES), "the record, with its run_at and queue, stays");
        assertEquals(List.of(J2), store().queued("mail", 0, -1));
        assertEquals(List.of(J3), store().queued("other", 0, -1));

        assertEquals(J2, store().popAndStore("mail", "host:1234+2", QUEUES, RUN_AT), "other workers pop as usual");
        store().completeJob(WORKER, QUEUES, null);
        assertEquals(J3, store().popAndStore("other", WORKER, QUEUES, RUN_AT), "once ended, the worker pops again");
        store().releaseJob(WORKER, QUEUES);
        assertNull(store().popAndStore("other", WORKER, QUEUES, RUN_AT));
    }

    @Test
    void theHeldJobComesBackByteForByte() {
        List<String> payloads = List.of(
                // JSON objects are embedded as they are: spacing, escapes, number forms and key order kept
                "{ \"class\" : \"say\\/hello\", \"queue\":\"mail\",\"args\":[1.000000000000000001,"
                        + " 12345678901234567890, 1e2, \"\\u00e9 \u00e9\u20ac\uD83D\uDE00\","
                        + " \"\\u0001\\\"\\\\\"], \"n\":{} }",
                // a job whose own fields look like the record's
                "{\"a\":1,\"payload\":{\"x\":\",\\\"payload\\\":\"},\"worker\":\"" + WORKER + "\"}",
                // not JSON objects: embedded as JSON strings
                "this is {not json", "\"a JSON string\"", "{\"a\":1", "[1,2]",
                "tab\tnewline\ncontrol\u0001del\u007f slash/ back\\ quote\" \u00e9\u20ac\uD83D\uDE00", "");
        for (String payload : payloads) {
            store().enqueue("mail", payload);
            assertEquals(payload, store().popAndStore("mail", WORKER, QUEUES, RUN_AT));
            assertEquals(payload, store().popAndStore("mail", WORKER, QUEUES, RUN_AT), "held: " + payload);
            store().releaseJob(WORKER, QUEUES);
        }
        assertEquals(0, store().length("mail"));
    }

    @Test
    void aWorkingOnRecordOfAnotherShapeIsHandedBackAsItsPayloadOrItsText() {
        String key = "worker:" + WORKER + ":" + QUEUES;
        // fields in another order, as a cjson.encode of a table may write them
        store().set(key, "{\"worker\":\"" + WORKER + "\",\"queue\":\"mail\",\"payload\":{\"class\":\"say\","
                + "\"queue\":\"mail\",\"args\":[{\"name\":\"x\"}]},\"run_at\":\"" + RUN_AT + "\"}", 0);
        store().enqueue("mail", J2);
        String job = store().popAndStore("mail", WORKER, QUEUES, RUN_AT);
        assertEquals(JsJson.parse("{\"class\":\"say\",\"queue\":\"mail\",\"args\":[{\"name\":\"x\"}]}"),
                JsJson.parse(job));
        assertEquals(List.of(J2), store().queued("mail", 0, -1), "nothing popped");

        store().set(key, "not a record", 0);
        assertEquals("not a record", store().popAndStore("mail", WORKER, QUEUES, RUN_AT),
                "the worker fails it visibly instead of overwriting it");
        store().completeJob(WORKER, QUEUES, failure("not a record", "job payload is not JSON"));
        assertEquals(J2, store().popAndStore("mail", WORKER, QUEUES, RUN_AT));
    }

    @Test
    void completeJobCountsASuccess() {
        store().registerWorker(WORKER, QUEUES, 1234);
        store().enqueue("mail", J1);
        store().popAndStore("mail", WORKER, QUEUES, RUN_AT);
        store().completeJob(WORKER, QUEUES, null);
        assertNull(store().workingOn(WORKER, QUEUES));
        assertEquals(Map.of("processed", 1L, "processed:" + WORKER, 1L), store().stats());
        assertEquals(0, store().failedCount());
    }

    @Test
    void completeJobRecordsAFailure() {
        store().enqueue("mail", J1);
        store().popAndStore("mail", WORKER, QUEUES, RUN_AT);
        String failure = failure(J1, "boom");
        store().completeJob(WORKER, QUEUES, failure);
        assertNull(store().workingOn(WORKER, QUEUES));
        assertEquals(Map.of("failed", 1L, "failed:" + WORKER, 1L), store().stats());
        assertEquals(List.of(failure), store().failed(0, -1));
    }

    @Test
    void releaseJobEndsAJobWithoutCountingIt() {
        store().enqueue("mail", J1);
        store().popAndStore("mail", WORKER, QUEUES, RUN_AT);
        store().releaseJob(WORKER, QUEUES);
        assertNull(store().workingOn(WORKER, QUEUES));
        assertEquals(Map.of(), store().stats());
    }

    @Test
    void completeAndClaimEndsTheJobAndClaimsTheNextFromTheFirstQueueWithOne() {
        store().registerWorker(WORKER, QUEUES, 1234);
        store().enqueue("other", J3);
        ResqueStore.Claim first = store().completeAndClaim(WORKER, QUEUES, null, List.of("mail", "other"), RUN_AT);
        assertEquals(new ResqueStore.Claim("other", J3, 0), first, "mail is empty: other's job");
        assertEquals("other", Payloads.decodeWorkingOn(store().workingOn(WORKER, QUEUES)).queue());

        store().enqueue("other", J3);
        store().enqueue("mail", J1);
        ResqueStore.Claim second = store().completeAndClaim(WORKER, QUEUES,
                new ResqueStore.Completion(null, first.ended()), List.of("mail", "other"), RUN_AT);
        assertEquals(new ResqueStore.Claim("mail", J1, 1), second, "mail first, in the worker's order");
        assertEquals(Map.of("processed", 1L, "processed:" + WORKER, 1L), store().stats());
        assertEquals(J1, Payloads.decodeWorkingOn(store().workingOn(WORKER, QUEUES)).rawJob());

        String failure = failure(J1, "boom");
        ResqueStore.Claim third = store().completeAndClaim(WORKER, QUEUES,
                new ResqueStore.Completion(failure, second.ended()), List.of(), RUN_AT);
        assertEquals(new ResqueStore.Claim(null, null, 2), third, "no queue given: the end only");
        assertNull(store().workingOn(WORKER, QUEUES));
        assertEquals(List.of(failure), store().failed(0, -1));
        assertEquals(Map.of("processed", 1L, "processed:" + WORKER, 1L, "failed", 1L, "failed:" + WORKER, 1L),
                store().stats());
        assertEquals(new ResqueStore.Claim("other", J3, 2),
                store().completeAndClaim(WORKER, QUEUES, null, List.of("mail", "other"), RUN_AT));
        assertEquals(new ResqueStore.Claim(null, null, 0), store().completeAndClaim("host:1234+2", QUEUES, null,
                List.of("mail", "other"), RUN_AT), "every queue empty; that worker's own count");
    }

    @Test
    void completeAndClaimRunAgainRecordsTheEndOnceAndHandsBackTheJobTheFirstRunClaimed() {
        store().enqueue("mail", J1);
        store().enqueue("mail", J2);
        ResqueStore.Claim first = store().completeAndClaim(WORKER, QUEUES, null, List.of("mail"), RUN_AT);
        ResqueStore.Completion end = new ResqueStore.Completion(failure(J1, "boom"), first.ended());
        ResqueStore.Claim second = store().completeAndClaim(WORKER, QUEUES, end, List.of("mail"), RUN_AT);
        // the same step again (its reply was lost): the held job is J2 now, and the count has moved on
        ResqueStore.Claim again = store().completeAndClaim(WORKER, QUEUES, end, List.of("mail"), RUN_AT);
        assertEquals(new ResqueStore.Claim("mail", J2, 1), second);
        assertEquals(second, again, "J2 handed back, not ended in J1's place");
        assertEquals(1, store().failedCount(), "one failure entry");
        assertEquals(Map.of("failed", 1L, "failed:" + WORKER, 1L), store().stats());
        assertEquals(J2, Payloads.decodeWorkingOn(store().workingOn(WORKER, QUEUES)).rawJob());
    }

    @Test
    void completeJobEndsTheHeldJobOnceAndASecondCallDoesNothing() {
        store().enqueue("mail", J1);
        store().enqueue("mail", J2);
        store().popAndStore("mail", WORKER, QUEUES, RUN_AT);
        String failure = failure(J1, "boom");
        store().completeJob(WORKER, QUEUES, failure);
        store().completeJob(WORKER, QUEUES, failure); // run again: its reply was lost, or WAIT fell short
        assertEquals(List.of(failure), store().failed(0, -1), "one failure entry");
        assertEquals(Map.of("failed", 1L, "failed:" + WORKER, 1L), store().stats(), "counted once");

        store().popAndStore("mail", WORKER, QUEUES, RUN_AT);
        store().completeJob(WORKER, QUEUES, null);
        store().completeJob(WORKER, QUEUES, null);
        store().releaseJob(WORKER, QUEUES);
        assertEquals(Map.of("failed", 1L, "failed:" + WORKER, 1L, "processed", 1L, "processed:" + WORKER, 1L),
                store().stats(), "counted once");

        store().completeJob("host:1234+2", QUEUES, failure(J2, "never held"));
        store().completeJob("host:1234+2", QUEUES, null);
        assertEquals(1, store().failedCount(), "a worker that holds no job ends nothing");
        assertEquals(Map.of("failed", 1L, "failed:" + WORKER, 1L, "processed", 1L, "processed:" + WORKER, 1L),
                store().stats());
    }

    @Test
    void completeJobLeavesTheJobHeldWhenAKeyItWritesHasAnotherType() {
        store().set("failed", "not a list", 0);
        store().enqueue("mail", J1);
        store().popAndStore("mail", WORKER, QUEUES, RUN_AT);
        StoreUnavailableException error = assertThrows(StoreUnavailableException.class,
                () -> store().completeJob(WORKER, QUEUES, failure(J1, "boom")));
        assertTrue(error.getMessage().contains("WRONGTYPE"), error.getMessage());
        assertEquals(J1, Payloads.decodeWorkingOn(store().workingOn(WORKER, QUEUES)).rawJob(), "still held");
        assertEquals(Map.of(), store().stats(), "nothing counted");

        store().delete("failed");
        store().completeJob(WORKER, QUEUES, failure(J1, "boom"));
        assertEquals(1, store().failedCount());
        assertNull(store().workingOn(WORKER, QUEUES));
    }

    @Test
    void registeredWorkersPingAndUnregisterCleanly() {
        store().registerWorker(WORKER, QUEUES, 1234);
        store().registerWorker("host:1234+2", "*", 1235);
        assertEquals(Set.of(WORKER + ":" + QUEUES, "host:1234+2:*"), store().workers());
        String ping = Payloads.encodePing(1236, WORKER, QUEUES);
        store().ping(WORKER, ping);
        assertEquals(Map.of(WORKER, ping), store().pings());
        store().enqueue("mail", J1);
        store().popAndStore("mail", WORKER, QUEUES, RUN_AT);
        store().completeJob(WORKER, QUEUES, null);
        store().enqueue("mail", J2);
        store().popAndStore("mail", WORKER, QUEUES, RUN_AT);

        store().unregisterWorker(WORKER, QUEUES);
        assertEquals(Set.of("host:1234+2:*"), store().workers());
        assertEquals(Map.of(), store().pings());
        assertNull(store().workingOn(WORKER, QUEUES));
        assertEquals(Map.of("processed", 1L), store().stats(), "the worker's own counters go with it");
    }

    @Test
    void forceCleanWorkerFailsTheJobADeadWorkerHeld() {
        store().registerWorker(WORKER, QUEUES, 1234);
        store().ping(WORKER, Payloads.encodePing(1236, WORKER, QUEUES));
        store().enqueue("mail", J1);
        store().popAndStore("mail", WORKER, QUEUES, RUN_AT);
        store().completeJob(WORKER, QUEUES, null);
        store().enqueue("mail", J2);
        store().popAndStore("mail", WORKER, QUEUES, RUN_AT);
        String failure = failure(J2, "Worker Timeout (killed manually)");

        store().forceCleanWorker(WORKER, QUEUES, failure);
        assertEquals(Set.of(), store().workers());
        assertEquals(Map.of(), store().pings());
        assertNull(store().workingOn(WORKER, QUEUES));
        assertEquals(List.of(failure), store().failed(0, -1));
        assertEquals(Map.of("processed", 1L, "failed", 1L), store().stats());

        store().registerWorker("host:1234+2", "*", 1235);
        assertFalse(store().forceCleanWorker("host:1234+2", "*", null));
        assertEquals(Set.of(), store().workers());
        assertEquals(1, store().failedCount(), "an idle worker leaves no failure");
        assertEquals(Map.of("processed", 1L, "failed", 1L), store().stats());
    }

    @Test
    void twoCleanersOfOneDeadWorkerFailItsJobOnce() {
        store().registerWorker(WORKER, QUEUES, 1234);
        store().enqueue("mail", J1);
        store().popAndStore("mail", WORKER, QUEUES, RUN_AT);
        String first = failure(J1, "Worker Timeout (killed manually)");
        String second = failure(J1, "Worker Timeout (killed manually) again");

        assertTrue(store().forceCleanWorker(WORKER, QUEUES, first));
        assertFalse(store().forceCleanWorker(WORKER, QUEUES, second), "the working-on record was gone");

        assertEquals(List.of(first), store().failed(0, -1));
        assertEquals(Map.of("failed", 1L), store().stats());
    }

    @Test
    void concurrentPopsTakeEveryJobExactlyOnce() throws Exception {
        int jobs = 200;
        for (int i = 0; i < jobs; i++) {
            store().enqueue("mail", Payloads.encodeJob("job", "mail", List.of(i)));
        }
        ExecutorService threads = Executors.newFixedThreadPool(4);
        try {
            List<Future<List<String>>> results = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                String worker = "host:1+" + t;
                Callable<List<String>> drain = () -> {
                    List<String> taken = new ArrayList<>();
                    String job;
                    while ((job = store().popAndStore("mail", worker, "mail", RUN_AT)) != null) {
                        taken.add(job);
                        store().completeJob(worker, "mail", null);
                    }
                    return taken;
                };
                results.add(threads.submit(drain));
            }
            List<String> all = new ArrayList<>();
            for (Future<List<String>> result : results) {
                all.addAll(result.get(60, TimeUnit.SECONDS));
            }
            assertEquals(jobs, all.size());
            assertEquals(jobs, new HashSet<>(all).size(), "no job taken twice");
            assertEquals(jobs, store().stats().get("processed"));
        } finally {
            threads.shutdownNow();
        }
    }

    // ---------------------------------------------------------------------------------------------- stats, failed

    @Test
    void incrementStatAddsToACounter() {
        store().incrementStat("processed", 5);
        store().incrementStat("processed", -2);
        store().incrementStat("failed:" + WORKER, 1);
        assertEquals(Map.of("processed", 3L, "failed:" + WORKER, 1L), store().stats());
    }

    @Test
    void failedEntriesAreListedAndRemovedByTheirText() {
        String first = failure(J1, "one");
        String second = failure(J2, "two");
        store().enqueue("mail", J1);
        store().enqueue("mail", J2);
        store().popAndStore("mail", WORKER, QUEUES, RUN_AT);
        store().completeJob(WORKER, QUEUES, first);
        store().popAndStore("mail", WORKER, QUEUES, RUN_AT);
        store().completeJob(WORKER, QUEUES, second);
        assertEquals(2, store().failedCount());
        assertEquals(List.of(second), store().failed(1, 1));
        assertTrue(store().removeFailed(first));
        assertFalse(store().removeFailed(first));
        assertEquals(List.of(second), store().failed(0, -1));
    }

    @Test
    void retryFailedEnqueuesOnceAndRemovesTheEntry() {
        String failure = failure(J1, "boom");
        store().enqueue("mail", J1);
        store().popAndStore("mail", WORKER, QUEUES, RUN_AT);
        store().completeJob(WORKER, QUEUES, failure);
        assertTrue(store().retryFailed(failure, "mail", J1));
        assertEquals(List.of(J1), store().queued("mail", 0, -1));
        assertEquals(Set.of("mail"), store().queues());
        assertEquals(0, store().failedCount());
        assertFalse(store().retryFailed(failure, "mail", J1), "a second operator's retry finds nothing");
        assertEquals(1, store().length("mail"));
    }

    // ---------------------------------------------------------------------------------------------- scheduler

    @Test
    void theLeaderLockHasOneHolder() {
        assertTrue(store().tryForLeader("scheduler-a", 60));
        assertFalse(store().tryForLeader("scheduler-b", 60));
        assertTrue(store().tryForLeader("scheduler-a", 60), "the holder renews");
        assertEquals("scheduler-a", store().leader());
        store().releaseLeader("scheduler-b");
        assertEquals("scheduler-a", store().leader(), "only the holder releases");
        store().releaseLeader("scheduler-a");
        assertNull(store().leader());
        assertTrue(store().tryForLeader("scheduler-b", 60));
    }

    @Test
    void theLeaderLockExpiresWhenNotRenewed() {
        assertTrue(store().tryForLeader("scheduler-a", 1));
        letExpire(ResqueKeys.LEADER_LOCK, 1);
        assertNull(store().leader());
        assertTrue(store().tryForLeader("scheduler-b", 60));
        assertEquals("scheduler-b", store().leader());
    }

    // ---------------------------------------------------------------------------------------------- plugin keys

    @Test
    void pluginKeysAreSetOnceReadAndDeleted() {
        String key = "lock:sayHello:mail:[{\"name\":\"x\"}]";
        assertTrue(store().setIfAbsent(key, "100", 60));
        assertFalse(store().setIfAbsent(key, "200", 60));
        assertEquals("100", store().get(key));
        store().set(key, "300", 0);
        assertEquals("300", store().get(key));
        assertTrue(store().delete(key));
        assertFalse(store().delete(key));
        assertNull(store().get(key));
        assertTrue(store().setIfAbsent(key, "400", 0), "no TTL");
        assertEquals("400", store().get(key));
    }

    @Test
    void pluginKeysExpire() {
        assertTrue(store().setIfAbsent("workerslock:a", "1", 1));
        store().set("lock:b", "1", 1);
        assertEquals(1, store().increment("resque-retry:c", 1));
        assertEquals(2, store().increment("resque-retry:c", 1));
        letExpire("workerslock:a", 1);
        letExpire("lock:b", 1);
        letExpire("resque-retry:c", 1);
        assertNull(store().get("workerslock:a"));
        assertNull(store().get("lock:b"));
        assertTrue(store().setIfAbsent("workerslock:a", "2", 60));
        assertEquals(1, store().increment("resque-retry:c", 0), "the expired counter starts again");
        assertEquals(2, store().increment("resque-retry:c", 0));
    }

    @Test
    void scanFindsStringKeysByGlob() {
        store().set("lock:A:q:[1]", "a", 0);
        store().set("lock:B:q:[2]", "b", 60);
        store().set("workerslock:A:q:[1]", "c", 0);
        store().enqueue("lock", J1); // queue:lock is a list: not a string key
        assertEquals(Map.of("lock:A:q:[1]", "a", "lock:B:q:[2]", "b"), store().scan("lock:*"));
        assertEquals(Map.of("lock:A:q:[1]", "a"), store().scan("lock:A:*"));
        assertEquals(Map.of("lock:A:q:[1]", "a", "lock:B:q:[2]", "b"), store().scan("lock:?:q:*"));
        assertEquals(Map.of("lock:A:q:[1]", "a"), store().scan("lock:A:q:\\[1\\]"));
        assertEquals(Map.of("lock:A:q:[1]", "a", "workerslock:A:q:[1]", "c"), store().scan("*[kl]ock:A:*"));
        assertEquals(Map.of(), store().scan("queue:*"));
        assertEquals(Map.of(), store().scan("nothing*"));
    }

    @Test
    void aKeyOfAnotherTypeIsAStoreError() {
        store().set("queue:mail", "not a list", 0);
        StoreUnavailableException error = assertThrows(StoreUnavailableException.class,
                () -> store().enqueue("mail", J1));
        assertTrue(error.getMessage().contains("WRONGTYPE"), error.getMessage());
        assertEquals(Collections.emptySet(), store().queues(), "nothing half-done");
    }
}
