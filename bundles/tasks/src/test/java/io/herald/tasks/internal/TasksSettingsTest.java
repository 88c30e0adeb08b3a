package io.herald.tasks.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

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
    void node_resque_and_actionhero_defaults_apply_to_the_rest() {
        TasksSettings settings = TasksSettings.from(Map.of(), "worker");

        assertEquals(List.of("*"), settings.queues());
        assertEquals(5000, settings.timeoutMillis());
        assertEquals(3_600_000, settings.stuckWorkerTimeoutMillis());
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
        assertEquals("timeout must be positive, was 0",
                assertThrows(IllegalArgumentException.class, () -> TasksSettings.from(Map.of("timeout", "0"), "worker"))
                        .getMessage());
        assertEquals("stuckWorkerTimeout (8000) must exceed twice timeout (5000), the interval at which workers ping; 0"
                + " turns the check off", assertThrows(IllegalArgumentException.class,
                        () -> TasksSettings.from(Map.of("stuckWorkerTimeout", "8000"), "worker")).getMessage());
        assertEquals("maxTaskProcessors must be a whole number, was \"many\"", assertThrows(IllegalArgumentException.class,
                () -> TasksSettings.from(Map.of("maxTaskProcessors", "many"), "worker")).getMessage());
    }
}
