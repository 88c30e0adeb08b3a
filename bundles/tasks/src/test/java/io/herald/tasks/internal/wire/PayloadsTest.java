package io.herald.tasks.internal.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.herald.api.task.FailedJob;
import io.herald.api.task.Job;
import io.herald.api.task.WorkerStatus;

/** {@link Payloads} against the payloads node-resque's own code builds, run in Node. */
class PayloadsTest {

    @Test
    void jobsAreNodeResquesEncoding() {
        // node-resque Queue.encode: JSON.stringify({class: func, queue: q, args: args})
        List<String> node = Node.run("""
                const encode = (q, func, args) => JSON.stringify({class: func, queue: q, args: args});
                console.log([
                  encode("default", "sayHello", [{name: "x"}]),
                  encode("mail/high", "send\\u00e9", [{to: "a@b", n: 1.5, tags: ["x", null], "2": true, big: 1e21}]),
                  encode("q", "noArgs", []),
                  encode("q", "many", [1, "two", null, {}])
                ].join('\\n'));
                """, "");
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("to", "a@b");
        params.put("n", 1.5);
        params.put("tags", Arrays.asList("x", null));
        params.put("2", true);
        params.put("big", 1e21);
        assertEquals(node.get(0), Payloads.encodeJob("sayHello", "default", List.of(Map.of("name", "x"))));
        assertEquals(node.get(1), Payloads.encodeJob("send\u00e9", "mail/high", List.of(params)));
        assertEquals(node.get(2), Payloads.encodeJob(new Job("noArgs", "q", List.of())));
        assertEquals(node.get(2), Payloads.encodeJob("noArgs", "q", null));
        assertEquals(node.get(3), Payloads.encodeJob("many", "q", Arrays.asList(1, "two", null, Map.of())));
        for (String job : node) {
            assertEquals(job, Payloads.encodeJob(Payloads.decodeJob(job)), "read and written again: " + job);
        }
    }

    @Test
    void jobsOfOtherWritersAreRead() {
        Job jesque = Payloads.decodeJob("{\"class\":\"Mail\",\"args\":[1,\"a\"],\"vars\":{\"x\":1}}", "mail");
        assertEquals(new Job("Mail", "mail", List.of(1, "a")), jesque);
        Job ruby = Payloads.decodeJob("{ \"queue\" : \"q\", \"class\" : \"Mail\", \"args\" : [ { \"a\" : 1 } ] }");
        assertEquals(Map.of("a", 1), ruby.params());
        assertEquals(List.of(Map.of("k", "v")), Payloads.decodeJob("{\"class\":\"A\",\"queue\":\"q\",\"args\":{\"k\":\"v\"}}")
                .args(), "a single value is one argument, as node-resque's arrayify makes it");
        assertEquals(List.of(), Payloads.decodeJob("{\"class\":\"A\",\"queue\":\"q\",\"args\":null}").args());
        assertEquals(List.of(), Payloads.decodeJob("{\"class\":\"A\",\"queue\":\"q\"}").args());
    }

    @Test
    void unreadableJobsGiveAPreciseError() {
        assertTrue(assertThrows(WireFormatException.class, () -> Payloads.decodeJob("not json")).getMessage()
                .startsWith("not JSON"));
        WireFormatException noClass = assertThrows(WireFormatException.class,
                () -> Payloads.decodeJob("{\"queue\":\"q\",\"args\":[]}"));
        assertTrue(noClass.getMessage().contains("\"class\"") && noClass.getMessage().contains("{\"queue\":\"q\""),
                noClass.getMessage());
        assertThrows(WireFormatException.class, () -> Payloads.decodeJob("{\"class\":1,\"queue\":\"q\"}"));
        assertThrows(WireFormatException.class, () -> Payloads.decodeJob("{\"class\":\"A\"}"), "no queue, none given");
        assertThrows(WireFormatException.class, () -> Payloads.decodeJob("[1]", "q"));
    }

    @Test
    void failuresAreNodeResquesFailurePayload() {
        String job = "{\"class\":\"sayHello\",\"queue\":\"default\",\"args\":[{\"name\":\"x\",\"n\":1.5}]}";
        String failedAt = "Fri Dec 12 2014 14:01:16 GMT-0800 (Pacific Standard Time)";
        // node-resque Worker.failurePayload, stringified by Worker.fail
        List<String> node = Node.run("""
                const job = JSON.parse(require('fs').readFileSync(0, 'utf8'));
                const err = new Error("boom \\"quoted\\" / \\u00e9");
                err.stack = "Error: boom\\n    at run (task.js:1:2)\\n    at next (worker.js:3:4)";
                const payload = {worker: "host:1+1", queue: "default", payload: job, exception: err.name,
                  error: err.message, backtrace: err.stack.split("\\n").slice(1), failed_at: "%s"};
                console.log(JSON.stringify(payload));
                const noStack = Object.assign({}, payload, {backtrace: null});
                console.log(JSON.stringify(noStack));
                """.formatted(failedAt), job);
        String failure = Payloads.encodeFailure("host:1+1", "default", job, "Error", "boom \"quoted\" / \u00e9",
                List.of("    at run (task.js:1:2)", "    at next (worker.js:3:4)"), failedAt);
        assertEquals(node.get(0), failure);
        assertEquals(node.get(1), Payloads.encodeFailure("host:1+1", "default", job, "Error",
                "boom \"quoted\" / \u00e9", null, failedAt));

        FailedJob read = Payloads.decodeFailure(failure);
        assertEquals(new FailedJob("host:1+1", "default", Payloads.decodeJob(job), "Error", "boom \"quoted\" / \u00e9",
                List.of("    at run (task.js:1:2)", "    at next (worker.js:3:4)"), failedAt, failure), read);
        assertEquals(failure, read.raw());
    }

    @Test
    void aFailuresErrorAndStackAreBoundedWhateverTheJobHeld() {
        String huge = "[".repeat(300_000);
        List<String> stack = new java.util.ArrayList<>();
        for (int i = 0; i < 500; i++) {
            stack.add("at " + "x".repeat(5000));
        }
        String raw = Payloads.encodeFailure("host:1+1", "q", "{\"class\":\"t\",\"queue\":\"q\",\"args\":[]}", "Error",
                "bad document " + huge, stack, "2026-12-07T00:00:00.000Z");
        assertTrue(raw.length() < 400_000, "entry of " + raw.length() + " chars");
        FailedJob failed = Payloads.decodeFailure(raw);
        assertEquals(Payloads.MAX_ERROR_LENGTH + "... (300013 chars)".length(), failed.error().length());
        assertTrue(failed.error().endsWith("... (300013 chars)"), failed.error().substring(9_990));
        assertEquals(StackLines.MAX_LINES + 1, failed.backtrace().size());
        assertTrue(failed.backtrace().get(0).endsWith("... (5003 chars)"));
        assertEquals("... (stack cut at 200 lines)", failed.backtrace().get(StackLines.MAX_LINES));
    }

    @Test
    void failuresSurviveNodeResquesRemoveFailedRoundTrip() {
        // removeFailed LREMs JSON.stringify(the entry it parsed): Herald's entry must come back byte for byte, also
        // when the job was written by a peer that puts spaces in its JSON, or is not JSON at all
        List<String> failures = List.of(
                Payloads.encodeFailure("h:1+1", "q", "{ \"class\" : \"A\", \"queue\" : \"q\", \"args\" : [ 1.0, {\"2\":1,\"1\":2} ] }",
                        "TaskException", "bad input", List.of("at x"), JsDate.now()),
                Payloads.encodeFailure("h:1+1", "q", "this is not json", "WireFormatException", "not JSON", List.of(),
                        JsDate.now()),
                Payloads.encodeFailure("h:1+1", "q", null, "X", null, null, JsDate.now()));
        List<String> node = Node.run("""
                const lines = require('fs').readFileSync(0, 'utf8').split('\\n');
                console.log(lines.map(l => JSON.stringify(JSON.parse(l))).join('\\n'));
                """, String.join("\n", failures));
        assertEquals(failures, node);
        assertEquals("this is not json", JsJson.parseObject(failures.get(1)).get("payload"));
        assertNull(Payloads.decodeFailure(failures.get(1)).payload());
    }

    @Test
    void failuresOfOtherWritersAreRead() {
        String ruby = "{\"failed_at\":\"2014/12/12 14:01:16 UTC\",\"payload\":{\"class\":\"Mail\",\"args\":[1]},"
                + "\"exception\":\"RuntimeError\",\"error\":\"boom\",\"backtrace\":[\"a.rb:1\",2],\"worker\":\"h:1:q\","
                + "\"queue\":\"mail\"}";
        FailedJob failed = Payloads.decodeFailure(ruby);
        assertEquals(new Job("Mail", "mail", List.of(1)), failed.payload());
        assertEquals(List.of("a.rb:1", "2"), failed.backtrace());
        assertEquals("2014/12/12 14:01:16 UTC", failed.failedAt());
        FailedJob textStack = Payloads.decodeFailure("{\"backtrace\":\"l1\\nl2\",\"payload\":\"junk\"}");
        assertEquals(List.of("l1", "l2"), textStack.backtrace());
        assertNull(textStack.payload());
        assertNull(textStack.worker());
        assertThrows(WireFormatException.class, () -> Payloads.decodeFailure("[]"));
    }

    @Test
    void workingOnIsReadableByNodeResque() {
        String job = "{\"class\":\"A\",\"queue\":\"q\",\"args\":[{\"url\":\"http://x/y\",\"n\":12345678901234567}]}";
        String runAt = JsDate.now();
        String workingOn = Payloads.encodeWorkingOn(runAt, "q", job, "host:7+2");
        assertEquals("{\"run_at\":" + JsJson.quote(runAt) + ",\"queue\":\"q\",\"payload\":" + job
                + ",\"worker\":\"host:7+2\"}", workingOn);
        // node-resque's allWorkingOn / cleanOldWorkers: JSON.parse, then Date.parse(run_at)
        List<String> node = Node.run("""
                const w = JSON.parse(require('fs').readFileSync(0, 'utf8'));
                console.log(JSON.stringify([w.queue, w.worker, w.payload.class, isNaN(Date.parse(w.run_at))]));
                """, workingOn);
        assertEquals("[\"q\",\"host:7+2\",\"A\",false]", node.get(0));

        WorkingOn read = Payloads.decodeWorkingOn(workingOn);
        assertTrue(workingOn.contains("12345678901234567"), "the stored text keeps the job's own digits");
        assertEquals(job.replace("12345678901234567", "12345678901234568"), read.rawJob(),
                "re-serialized as JavaScript would (the double nearest 12345678901234567)");
        assertEquals(Payloads.decodeJob(job), read.job());
        assertEquals(new WorkerStatus("host:7+2", "q,r", Payloads.decodeJob(job), runAt),
                Payloads.workerStatus("host:7+2", "q,r", workingOn));

        String bad = Payloads.encodeWorkingOn(runAt, "q", "not json", "host:7+2");
        assertEquals("not json", Payloads.decodeWorkingOn(bad).rawJob());
        assertNull(Payloads.decodeWorkingOn(bad).job());
        assertFalse(Payloads.workerStatus("w:1", "q", null).isWorking());
        assertFalse(Payloads.workerStatus("w:1", "q", "garbage").isWorking());
        // cjson (node-resque's Lua) writes the fields in another order and escapes '/'
        WorkingOn cjson = Payloads.decodeWorkingOn("{\"payload\":" + job + ",\"worker\":\"h:1\",\"run_at\":\"x\\/y\","
                + "\"queue\":\"q\"}");
        assertEquals(new WorkingOn("x/y", "q", "h:1", JsJson.parse(job)), cjson);
    }

    @Test
    void pingsAreNodeResquesPing() {
        List<String> node = Node.run("console.log(JSON.stringify({time: 1418421676, name: 'host:1+1', queues: 'a,b'}))",
                "");
        assertEquals(node.get(0), Payloads.encodePing(1_418_421_676L, "host:1+1", "a,b"));
        assertEquals(new Ping(1_418_421_676L, "host:1+1", "a,b"), Payloads.decodePing(node.get(0)));
        assertEquals(12, Payloads.decodePing("{\"time\":\"12\"}").time());
        assertThrows(WireFormatException.class, () -> Payloads.decodePing("{\"name\":\"x\"}"));
    }

    @Test
    void workerMembersSplitAsNodeResqueSplitsThem() {
        assertEquals(new WorkerMember("host:12+1", "a,b"), WorkerMember.parse("host:12+1:a,b"));
        assertEquals(new WorkerMember("host:12+1", "a:b"), WorkerMember.parse("host:12+1:a:b"));
        assertEquals(new WorkerMember("host", "*"), WorkerMember.parse("host:*"));
        assertEquals(new WorkerMember("solo", null), WorkerMember.parse("solo"));
        assertEquals("host:12+1:a,b", new WorkerMember("host:12+1", "a,b").member());
    }

    @Test
    void secondsRoundAsMathRound() {
        long[] millis = {0, 499, 500, 1499, 1500, 1_418_421_676_500L, -1, -500, -501, -1500};
        List<String> node = Node.run("console.log([0, 499, 500, 1499, 1500, 1418421676500, -1, -500, -501, -1500]"
                + ".map(ms => String(Math.round(ms / 1000))).join('\\n'))", "");
        for (int i = 0; i < millis.length; i++) {
            assertEquals(Long.parseLong(node.get(i).replace("-0", "0")), ResqueSeconds.of(millis[i]), "ms " + millis[i]);
        }
    }
}
