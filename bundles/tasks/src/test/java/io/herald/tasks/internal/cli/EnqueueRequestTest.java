package io.herald.tasks.internal.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** The command line of {@code herald task enqueue}, after the launcher took its own options out. */
class EnqueueRequestTest {

    private static EnqueueRequest parse(String... args) {
        return EnqueueRequest.parse(List.of(args));
    }

    private static String error(String... args) {
        return assertThrows(IllegalArgumentException.class, () -> parse(args)).getMessage();
    }

    @Test
    void reads_name_params_queue_and_delay() {
        EnqueueRequest request = parse("--name", "sendMail", "--args", "{\"to\":\"a@b.c\",\"n\":-1,\"x\":[1.5,null,true]}",
                "--queue=mail", "--in", "5000");

        assertEquals("sendMail", request.name());
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("to", "a@b.c");
        params.put("n", -1L);
        params.put("x", Arrays.asList(1.5, null, true));
        assertEquals(params, request.params());
        assertEquals(List.of("to", "n", "x"), List.copyOf(request.params().keySet()), "the key order is the job's");
        assertEquals("mail", request.queue());
        Instant at = request.at();
        assertTrue(!at.isBefore(Instant.now().plusMillis(4000)) && at.isBefore(Instant.now().plusMillis(6000)), at.toString());
    }

    @Test
    void defaults_to_empty_params_on_the_tasks_own_queue_now() {
        EnqueueRequest request = parse("--name=cleanUp");

        assertEquals(Map.of(), request.params());
        assertNull(request.queue());
        assertNull(request.at());
        assertEquals(Instant.ofEpochMilli(1_700_000_000_000L), parse("--name", "x", "--at", "1700000000000").at());
    }

    @Test
    void args_are_read_as_json_parse_reads_them() {
        assertEquals(Map.of("a", 2L), parse("--name", "x", "--args", "{\"a\":1,\"a\":2}").params(),
                "a repeated key keeps its last value");
        assertEquals(Map.of("big", 9007199254740993L), parse("--name", "x", "--args", "{\"big\":9007199254740993}").params());
        for (String invalid : List.of("{\"n\":1} x", "{} {}", "{\"n\":1,}", "{'n':1}", "")) {
            assertTrue(error("--name", "x", "--args", invalid).startsWith("--args is not valid JSON: "), invalid);
        }
        for (String notAnObject : List.of("[1]", "1", "\"s\"", "null")) {
            assertEquals("--args must be a JSON object (the task's params), like '{\"email\":\"a@b.c\"}'",
                    error("--name", "x", "--args", notAnObject), notAnObject);
        }
    }

    @Test
    void errors_name_the_option() {
        assertEquals("needs --name <task> (see: herald help)", error());
        assertEquals("--name needs a task name", error("--name", " "));
        assertEquals("--name needs a value", error("--name"));
        assertEquals("--queue needs a queue name", error("--name", "x", "--queue="));
        assertEquals("--in '-5' is not a delay in milliseconds (a whole number >= 0)", error("--name", "x", "--in", "-5"));
        assertEquals("--at 'tomorrow' is not a time in milliseconds since 1970-01-01T00:00:00Z (a whole number >= 0)",
                error("--name", "x", "--at", "tomorrow"));
        assertEquals("--in and --at exclude each other: give a delay or a time, not both",
                error("--name", "x", "--in", "1", "--at", "2"));
        assertEquals("unknown option --nme (see: herald help)", error("--nme", "x"));
        assertEquals("unexpected argument now (see: herald help)", error("now", "--name", "x"));
    }
}
