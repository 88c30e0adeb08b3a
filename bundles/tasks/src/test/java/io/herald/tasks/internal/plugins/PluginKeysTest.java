package io.herald.tasks.internal.plugins;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.herald.api.task.Job;

/** The keys are node-resque's, byte for byte ({@code src/plugins/*.ts}). */
class PluginKeysTest {

    @Test
    void lock_keys_hold_class_queue_and_the_args_as_json_stringify_writes_them() {
        Job job = new Job("sayHello", "default", List.of(Map.of("name", "x/ü")));

        assertEquals("lock:sayHello:default:[{\"name\":\"x/ü\"}]", PluginKeys.queueLock(job));
        assertEquals("workerslock:sayHello:default:[{\"name\":\"x/ü\"}]", PluginKeys.jobLock(job));
        assertEquals("lock:t:q:[]", PluginKeys.queueLock(new Job("t", "q", List.of())));
    }

    @Test
    void retry_keys_join_the_args_with_dashes_objects_as_json_and_drop_only_the_first_whitespace() {
        Job mixed = new Job("t", "q", Arrays.asList(1, "x", null, 2.5, true, Map.of("k", 2), List.of(1, 2)));
        assertEquals("resque-retry:t:1-x-null-2.5-true-{\"k\":2}-[1,2]", PluginKeys.retryCounter(mixed));
        assertEquals("failure-resque-retry:t:1-x-null-2.5-true-{\"k\":2}-[1,2]", PluginKeys.retryFailure(mixed));

        Job spaced = new Job("t", "q", List.of(Map.of("a b c", 1)));
        assertEquals("resque-retry:t:{\"ab c\":1}", PluginKeys.retryCounter(spaced));
    }

    @Test
    void empty_parts_are_dropped_as_connection_key_drops_them() {
        assertEquals("resque-retry:t", PluginKeys.retryCounter(new Job("t", "q", List.of())));
        assertEquals("failure-resque-retry:t:", PluginKeys.retryFailure(new Job("t", "q", List.of())),
                "one key part in node-resque: its trailing colon stays");
        assertEquals("a:c", PluginKeys.key("a", "", " ", "c"));
    }
}
