package io.herald.tasks.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.herald.core.properties.InvalidPropertyException;


class TasksSettingsTest {

    @Test
    void the_worker_and_all_roles_run_processors_and_the_scheduler_the_web_role_neither() {
        for (String role : new String[] {"worker", "all", null}) {
            TasksSettings settings = TasksSettings.from(Map.of(), role);
            assertEquals(1, settings.minTaskProcessors(), role);
            assertEquals(4, settings.maxTaskProcessors(), role);
            assertTrue(settings.scheduler(), role);
        }
        TasksSettings web = TasksSettings.from(Map.of(), "web");
        assertEquals(0, web.minTaskProcessors());
        assertEquals(0, web.maxTaskProcessors());
        assertFalse(web.scheduler());
    }

    @Test
    void node_resque_and_actionhero_defaults_apply_to_the_rest_but_a_pinging_worker_counts_as_dead_within_minutes() {
        TasksSettings settings = TasksSettings.from(Map.of(), "worker");

        assertEquals(List.of("*"), settings.queues());
        assertEquals(5000, settings.timeoutMillis());
        assertEquals(120_000, settings.stuckWorkerTimeoutMillis(), "node-resque: an hour");
        assertEquals(3_600_000, settings.silentWorkerTimeoutMillis(), "node-resque's hour for workers that never ping");
        assertFalse(settings.retryStuckJobs());
        assertEquals(180, settings.leaderLockTimeoutSeconds());
        assertEquals("", settings.namespace());
        assertEquals(0, settings.waitReplicas());
    }

    @Test
    void values_from_a_cfg_file_arrive_as_strings_and_empty_ones_mean_the_default() {
        TasksSettings settings = TasksSettings.from(Map.of("queues", "high, low", "minTaskProcessors", "2",
                "maxTaskProcessors", "8", "scheduler", "false", "timeout", "250", "stuckWorkerTimeout", "60000",
                "retryStuckJobs", "true", "namespace", "app", "waitReplicas", "1"), "web");

        assertEquals(List.of("high", "low"), settings.queues());
        assertEquals(2, settings.minTaskProcessors());
        assertEquals(8, settings.maxTaskProcessors());
        assertFalse(settings.scheduler());
        assertEquals(250, settings.timeoutMillis());
        assertEquals(60_000, settings.stuckWorkerTimeoutMillis());
        assertTrue(settings.retryStuckJobs());
        assertEquals("app", settings.namespace());
        assertEquals(1, settings.waitReplicas());

        TasksSettings blanks = TasksSettings.from(Map.of("minTaskProcessors", "", "maxTaskProcessors", " ",
                "scheduler", ""), "worker");
        assertEquals(1, blanks.minTaskProcessors());
        assertTrue(blanks.scheduler());
    }

    @Test
    void a_minimum_above_the_default_maximum_raises_it_but_above_an_explicit_one_is_an_error() {
        assertEquals(6, TasksSettings.from(Map.of("minTaskProcessors", "6"), "worker").maxTaskProcessors());

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TasksSettings.from(Map.of("minTaskProcessors", "6", "maxTaskProcessors", "2"), "worker"));
        assertEquals("minTaskProcessors (6) must not exceed maxTaskProcessors (2)", e.getMessage());
        assertEquals("timeout must be a whole number above 0, was 0",
                assertThrows(IllegalArgumentException.class, () -> TasksSettings.from(Map.of("timeout", "0"), "worker"))
                        .getMessage());
        assertEquals("stuckWorkerTimeout (8000) must exceed twice timeout (5000), the interval at which workers ping; 0"
                + " turns the check off", assertThrows(IllegalArgumentException.class,
                        () -> TasksSettings.from(Map.of("stuckWorkerTimeout", "8000"), "worker")).getMessage());
        assertEquals("maxTaskProcessors must be empty or a whole number from 0 to 10000, was \"many\"",
                assertThrows(IllegalArgumentException.class,
                        () -> TasksSettings.from(Map.of("maxTaskProcessors", "many"), "worker")).getMessage());
    }

    @Test
    void every_value_metatype_cannot_check_is_refused_with_the_property_the_value_and_what_is_accepted() {
        Map<Map<String, Object>, String> refused = new java.util.LinkedHashMap<>();
        refused.put(Map.of("minTaskProcessors", "-1"),
                "minTaskProcessors must be empty or a whole number from 0 to 10000, was -1");
        refused.put(Map.of("maxTaskProcessors", "4.5"),
                "maxTaskProcessors must be empty or a whole number from 0 to 10000, was \"4.5\"");
        refused.put(Map.of("maxTaskProcessors", "20000"),
                "maxTaskProcessors must be empty or a whole number from 0 to 10000, was 20000");
        refused.put(Map.of("minTaskProcessors", "3", "maxTaskProcessors", "2"),
                "minTaskProcessors (3) must not exceed maxTaskProcessors (2)");
        refused.put(Map.of("scheduler", "maybe"), "scheduler must be true, false, yes, no, 1 or 0 (any case), was"
                + " \"maybe\"");
        refused.put(Map.of("retryStuckJobs", "on"), "retryStuckJobs must be true, false, yes, no, 1 or 0 (any case),"
                + " was \"on\"");
        refused.put(Map.of("checkTimeout", "-5"), "checkTimeout must be a whole number above 0, was -5");
        refused.put(Map.of("stuckWorkerTimeout", "-1"), "stuckWorkerTimeout must be a whole number, 0 or more, was -1");
        refused.put(Map.of("shutdownTimeout", "-1"), "shutdownTimeout must be a whole number, 0 or more, was -1");
        refused.put(Map.of("waitReplicas", "x"),
                "waitReplicas must be empty or a whole number from 0 to 10000, was \"x\"");
        refused.put(Map.of("leaderLockTimeout", "10", "timeout", "5000"),
                "leaderLockTimeout (10 s) must exceed twice timeout (5000 ms), the interval at which the leader renews it");
        refused.forEach((config, message) -> {
            InvalidPropertyException e = assertThrows(InvalidPropertyException.class,
                    () -> TasksSettings.from(config, "worker"), config.toString());
            assertEquals(message, e.getMessage(), config.toString());
            String key = message.substring(0, message.indexOf(' '));
            assertEquals(key, e.property(), config.toString());
        });
    }

    @Test
    void booleans_accept_true_false_yes_no_1_and_0_in_any_case() {
        for (String on : new String[] {"true", "TRUE", "Yes", "yes", "1", " true "}) {
            assertTrue(TasksSettings.from(Map.of("scheduler", on, "retryStuckJobs", on), "web").scheduler(), on);
            assertTrue(TasksSettings.from(Map.of("retryStuckJobs", on), "web").retryStuckJobs(), on);
        }
        for (String off : new String[] {"false", "False", "NO", "no", "0"}) {
            assertFalse(TasksSettings.from(Map.of("scheduler", off), "worker").scheduler(), off);
        }
    }

    @Test
    void the_scheduler_limits_are_checked_only_where_the_scheduler_runs() {
        TasksSettings worker = TasksSettings.from(Map.of("timeout", "600000", "scheduler", "false"), "worker");
        assertEquals(600_000, worker.timeoutMillis());
        assertThrows(InvalidPropertyException.class, () -> TasksSettings.from(Map.of("timeout", "600000"), "worker"));
    }
}
