package io.herald.tasks.internal.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.herald.api.Input;
import io.herald.api.Inputs;
import io.herald.api.task.FailedJob;
import io.herald.api.task.Job;
import io.herald.api.task.QueueDetails;
import io.herald.api.task.TaskEvent;
import io.herald.api.task.TaskException;
import io.herald.api.task.TaskMiddleware;
import io.herald.api.task.TaskPlugin;
import io.herald.api.task.WorkerStatus;
import io.herald.core.ParamChecks;
import io.herald.tasks.internal.TestTasks;
import io.herald.tasks.internal.plugins.BuiltInPlugins;
import io.herald.tasks.internal.store.MemoryResqueStore;
import io.herald.tasks.internal.wire.JsDate;
import io.herald.tasks.internal.wire.Payloads;
import io.herald.tasks.internal.wire.ResqueSeconds;

class ResqueTaskQueueTest {

    private final MemoryResqueStore store = new MemoryResqueStore();
    private final TaskRegistry registry = new TaskRegistry();
    private final ResqueTaskQueue queue = new ResqueTaskQueue(registry, ParamChecks.standard(), store);
    private final List<String> calls = new ArrayList<>();

    @BeforeEach
    void register() {
        BuiltInPlugins.create(queue::store).forEach(registry::addBuiltInPlugin);
        Inputs inputs = Inputs.of(Input.required("name"), Input.optional("greeting").defaultValue("hi"));
        registry.addTask(new TestTasks.Recording(inputs), TestTasks.props("sayHello").build(), TestTasks.nextOrder());
        registry.addTask(new TestTasks.Recording(), TestTasks.props("mail").queue("mailer").build(), TestTasks.nextOrder());
    }

    private static Map<String, Object> params(Object... keyValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            map.put((String) keyValues[i], keyValues[i + 1]);
        }
        return map;
    }

    @Test
    void enqueue_writes_the_node_resque_payload_with_validated_params_on_the_tasks_queue() {
        assertTrue(queue.enqueue("sayHello", params("name", "x")));

        assertEquals(List.of("{\"class\":\"sayHello\",\"queue\":\"default\",\"args\":[{\"name\":\"x\",\"greeting\":\"hi\"}]}"),
                store.queued("default", 0, -1));
        assertEquals(Set.of("default"), store.queues());
    }

    @Test
    void enqueue_all_writes_the_jobs_in_order_each_as_enqueue_would_and_leaves_out_the_declined_ones() {
        registry.addTask(new TestTasks.Recording(), TestTasks.props("unique").plugins("QueueLock").build(),
                TestTasks.nextOrder());
        assertEquals(2, queue.enqueueAll("sayHello", List.of(params("name", "x"), params("name", "y", "greeting", "yo")),
                null));
        assertEquals(List.of("{\"class\":\"sayHello\",\"queue\":\"default\",\"args\":[{\"name\":\"x\",\"greeting\":\"hi\"}]}",
                "{\"class\":\"sayHello\",\"queue\":\"default\",\"args\":[{\"name\":\"y\",\"greeting\":\"yo\"}]}"),
                store.queued("default", 0, -1));

        // QueueLock declines the second copy of {"n":1}: the batch writes the others
        assertEquals(2, queue.enqueueAll("unique", List.of(params("n", 1), params("n", 1), params("n", 2)), "urgent"));
        assertEquals(List.of("{\"class\":\"unique\",\"queue\":\"urgent\",\"args\":[{\"n\":1}]}",
                "{\"class\":\"unique\",\"queue\":\"urgent\",\"args\":[{\"n\":2}]}"), store.queued("urgent", 0, -1));
        assertEquals(0, queue.enqueueAll("unique", List.of(), null));
    }

    @Test
    void enqueue_all_refuses_the_whole_batch_when_one_job_fails_the_inputs() {
        TaskException e = assertThrows(TaskException.class, () -> queue.enqueueAll("sayHello",
                List.of(params("name", "x"), params("greeting", "no name")), null));

        assertEquals(TaskException.Reason.INVALID_PARAMS, e.reason());
        assertEquals(0, store.length("default"), "nothing written");
    }

    @Test
    void enqueue_on_another_queue_and_with_no_params() {
        assertTrue(queue.enqueue("mail", null, "urgent"));
        assertTrue(queue.enqueue("mail", Map.of()));

        assertEquals(List.of("{\"class\":\"mail\",\"queue\":\"urgent\",\"args\":[{}]}"), store.queued("urgent", 0, -1));
        assertEquals(List.of("{\"class\":\"mail\",\"queue\":\"mailer\",\"args\":[{}]}"), store.queued("mailer", 0, -1));
    }

    record Address(String city, int zip) {
    }

    @Test
    void params_keep_their_order_and_other_values_become_what_jackson_writes() {
        assertTrue(queue.enqueue("mail", params("z", 1, "a", new Address("Paris", 75001), "tags", List.of("x", 'y'))));

        assertEquals(List.of("{\"class\":\"mail\",\"queue\":\"mailer\",\"args\":[{\"z\":1,"
                + "\"a\":{\"city\":\"Paris\",\"zip\":75001},\"tags\":[\"x\",\"y\"]}]}"),
                store.queued("mailer", 0, -1));
    }

    static final class Unwritable {
        public String getValue() {
            throw new IllegalStateException("no value");
        }
    }

    @Test
    void params_that_cannot_be_written_as_json_are_refused() {
        TaskException e = assertThrows(TaskException.class, () -> queue.enqueue("mail", params("x", new Unwritable())));

        assertEquals(TaskException.Reason.INVALID_PARAMS, e.reason());
        assertTrue(store.queues().isEmpty());
    }

    @Test
    void params_that_fail_the_inputs_are_refused_with_the_cores_message_and_nothing_is_stored() {
        TaskException e = assertThrows(TaskException.class, () -> queue.enqueue("sayHello", params("greeting", "yo")));

        assertEquals(TaskException.Reason.INVALID_PARAMS, e.reason());
        assertEquals("task sayHello: name is a required parameter for this action", e.getMessage());
        assertTrue(store.queues().isEmpty());
        assertThrows(TaskException.class, () -> queue.enqueueIn(Duration.ofSeconds(5), "sayHello", Map.of()));
        assertTrue(store.delayedTimestamps().isEmpty());
    }

    @Test
    void an_unknown_task_is_refused() {
        TaskException e = assertThrows(TaskException.class, () -> queue.enqueue("nope", Map.of()));

        assertEquals(TaskException.Reason.UNKNOWN_TASK, e.reason());
        assertTrue(e.getMessage().contains("nope"), e.getMessage());
        assertEquals(TaskException.Reason.UNKNOWN_TASK,
                assertThrows(TaskException.class, () -> queue.enqueueAt(Instant.now(), "nope", Map.of())).reason());
        assertEquals(TaskException.Reason.UNKNOWN_TASK,
                assertThrows(TaskException.class, () -> queue.del(null, "nope", Map.of())).reason());
    }

    @Test
    void enqueue_at_schedules_at_the_rounded_second_and_refuses_a_duplicate_unless_suppressed() {
        Instant at = Instant.ofEpochMilli(4_102_444_800_600L); // .6 s rounds up, as Math.round
        long second = 4_102_444_801L;

        assertTrue(queue.enqueueAt(at, "mail", params("to", "a")));

        assertEquals(List.of(second), store.delayedTimestamps());
        String job = "{\"class\":\"mail\",\"queue\":\"mailer\",\"args\":[{\"to\":\"a\"}]}";
        assertEquals(List.of(job), store.delayedAt(second));
        assertEquals(List.of(second), store.scheduledAt(job));
        TaskException e = assertThrows(TaskException.class, () -> queue.enqueueAt(at, "mail", params("to", "a")));
        assertEquals(TaskException.Reason.DUPLICATE, e.reason());
        assertEquals("Job already enqueued at this time with same arguments", e.getMessage());
        assertFalse(queue.enqueueAt(at, "mail", params("to", "a"), null, true));
        assertEquals(List.of(job), store.delayedAt(second));
    }

    @Test
    void enqueue_runs_middleware_then_plugins_before_and_after_and_enqueue_at_runs_no_hook() {
        registry.addMiddleware(new Hooks("global", true), Map.of("herald.taskMiddleware.name", "global",
                "herald.taskMiddleware.global", true, "herald.taskMiddleware.priority", 50), TestTasks.nextOrder());
        registry.addMiddleware(new Hooks("own", true), Map.of("herald.taskMiddleware.name", "own"), TestTasks.nextOrder());
        registry.addPlugin(new Hooks("plugin", true), Map.of("herald.taskPlugin.name", "Counting"), TestTasks.nextOrder());
        registry.addTask(new TestTasks.Recording(), TestTasks.props("hooked").middleware("own").plugins("Counting").build(),
                TestTasks.nextOrder());

        assertTrue(queue.enqueue("hooked", Map.of()));
        assertEquals(List.of("global.before", "own.before", "plugin.before", "global.after", "own.after", "plugin.after"),
                calls);
        calls.clear();
        assertTrue(queue.enqueueIn(Duration.ofMinutes(1), "hooked", Map.of()));
        assertEquals(List.of(), calls);
    }

    @Test
    void a_middleware_or_plugin_that_declines_keeps_the_job_out() {
        registry.addMiddleware(new Hooks("no", false), Map.of("herald.taskMiddleware.name", "no"), TestTasks.nextOrder());
        registry.addPlugin(new Hooks("veto", false), Map.of("herald.taskPlugin.name", "Veto"), TestTasks.nextOrder());
        registry.addTask(new TestTasks.Recording(), TestTasks.props("declinedByMiddleware").middleware("no").build(),
                TestTasks.nextOrder());
        registry.addTask(new TestTasks.Recording(), TestTasks.props("declinedByPlugin").plugins("Veto").build(),
                TestTasks.nextOrder());

        assertFalse(queue.enqueue("declinedByMiddleware", Map.of()));
        assertFalse(queue.enqueue("declinedByPlugin", Map.of()));

        assertEquals(List.of("no.before", "veto.before"), calls);
        assertEquals(0, store.length("default"));
    }

    @Test
    void a_task_naming_a_plugin_that_is_not_registered_cannot_be_enqueued() {
        registry.addTask(new TestTasks.Recording(), TestTasks.props("needy").plugins("Missing").build(),
                TestTasks.nextOrder());

        TaskException e = assertThrows(TaskException.class, () -> queue.enqueue("needy", Map.of()));

        assertEquals(TaskException.Reason.UNAVAILABLE, e.reason());
        assertEquals("task needy uses the plugin Missing, which is not registered on this node", e.getMessage());
    }

    @Test
    void del_del_delayed_and_scheduled_at_find_jobs_by_their_bytes_after_the_same_defaults() {
        queue.enqueue("sayHello", params("name", "x"));
        queue.enqueue("sayHello", params("name", "x"));
        queue.enqueue("sayHello", params("name", "y"));
        Instant at = Instant.now().plusSeconds(60);
        queue.enqueueAt(at, "sayHello", params("name", "x"));

        Instant second = Instant.ofEpochSecond(ResqueSeconds.of(at.toEpochMilli()));
        assertEquals(List.of(second), queue.scheduledAt(null, "sayHello", params("name", "x")));
        assertEquals(2, queue.del(null, "sayHello", params("name", "x")));
        assertEquals(1, queue.length("default"));
        assertEquals(List.of(second), queue.delDelayed("default", "sayHello", params("name", "x")));
        assertEquals(List.of(), queue.scheduledAt(null, "sayHello", params("name", "x")));
        assertEquals(List.of(), queue.timestamps());
    }

    @Test
    void the_inspection_methods_read_what_the_store_holds() {
        queue.enqueue("mail", params("to", "a"));
        queue.enqueue("mail", params("to", "b"), "urgent");
        Instant at = Instant.now().plusSeconds(120);
        queue.enqueueAt(at, "mail", params("to", "c"));
        store.enqueue("mailer", "not json at all");

        assertEquals(List.of("mailer", "urgent"), queue.queues());
        assertEquals(2, queue.length("mailer"));
        assertEquals(List.of(new Job("mail", "mailer", List.of(Map.of("to", "a")))), queue.queued("mailer", 0, -1));
        Instant second = Instant.ofEpochSecond(ResqueSeconds.of(at.toEpochMilli()));
        assertEquals(List.of(second), queue.timestamps());
        assertEquals(List.of(new Job("mail", "mailer", List.of(Map.of("to", "c")))), queue.delayedAt(at));
        assertEquals(Map.of(second, List.of(new Job("mail", "mailer", List.of(Map.of("to", "c"))))), queue.allDelayed());

        QueueDetails details = queue.details();
        assertEquals(Map.of("mailer", 2L, "urgent", 1L), details.queues());
        assertEquals(1, details.delayed());
        assertEquals(0, details.failed());
        assertNull(details.leader());
        queue.delQueue("urgent");
        assertEquals(List.of("mailer"), queue.queues());
    }

    @Test
    void failed_jobs_are_listed_removed_and_retried() {
        String job = Payloads.encodeJob("mail", "mailer", List.of(Map.of("to", "a")));
        store.enqueue("mailer", job);
        store.registerWorker("host:1+1", "mailer", 1);
        store.popAndStore("mailer", "host:1+1", "mailer", JsDate.now());
        store.completeJob("host:1+1", "mailer",
                Payloads.encodeFailure("host:1+1", "mailer", job, "Error", "bad", List.of("at x"), JsDate.now()));
        store.enqueue("mailer", job);
        store.popAndStore("mailer", "host:1+1", "mailer", JsDate.now());
        store.completeJob("host:1+1", "mailer",
                Payloads.encodeFailure("host:1+1", "mailer", job, "Error", "worse", List.of(), JsDate.now()));

        assertEquals(2, queue.failedCount());
        List<FailedJob> failed = queue.failed(0, -1);
        assertEquals("bad", failed.get(0).error());
        assertEquals(new Job("mail", "mailer", List.of(Map.of("to", "a"))), failed.get(0).payload());
        assertTrue(queue.removeFailed(failed.get(0)));
        assertFalse(queue.removeFailed(failed.get(0)));
        assertTrue(queue.retryAndRemoveFailed(failed.get(1)));
        assertFalse(queue.retryAndRemoveFailed(failed.get(1)));
        assertEquals(0, queue.failedCount());
        assertEquals(List.of(job), store.queued("mailer", 0, -1));
        assertEquals(2L, queue.stats().get("failed"));
    }

    @Test
    void workers_show_what_they_work_on_and_old_ones_are_cleaned_to_the_failed_queue() {
        String job = Payloads.encodeJob("mail", "mailer", List.of(Map.of()));
        store.enqueue("mailer", job);
        store.registerWorker("host:1+1", "mailer", 1);
        store.registerWorker("host:1+2", "*", 1);
        String runAt = JsDate.format(Instant.now().minus(Duration.ofHours(2)));
        store.popAndStore("mailer", "host:1+1", "mailer", runAt);

        List<WorkerStatus> workers = queue.workers();
        assertEquals(List.of(new WorkerStatus("host:1+1", "mailer", new Job("mail", "mailer", List.of(Map.of())), runAt),
                new WorkerStatus("host:1+2", "*", null, null)), workers);
        assertEquals(workers.get(0), queue.workingOn("host:1+1", "mailer"));
        assertEquals(new WorkerStatus("host:1+2", "*", null, null), queue.workingOn("host:1+2", "*"));
        assertEquals(new WorkerStatus("nobody:1", "*", null, null), queue.workingOn("nobody:1", "*"));

        assertEquals(List.of(), queue.cleanOldWorkers(Duration.ofHours(3)));
        assertEquals(List.of("host:1+1"), queue.cleanOldWorkers(Duration.ofHours(1)));
        assertEquals(List.of(new WorkerStatus("host:1+2", "*", null, null)), queue.workers());
        FailedJob failed = queue.failed(0, 0).get(0);
        assertEquals("Worker Timeout (killed manually)", failed.error());
        assertEquals("queue#forceCleanWorker", failed.backtrace().get(1));
    }

    @Test
    void stop_recurrent_task_removes_its_queued_and_delayed_jobs_and_its_queue_lock() {
        registry.addTask(new TestTasks.Recording(), TestTasks.props("tick").frequency(60_000).build(), TestTasks.nextOrder());
        assertTrue(queue.enqueue("tick", Map.of()));
        queue.enqueueIn(Duration.ofMinutes(1), "tick", Map.of());
        assertEquals(Set.of("lock:tick:default:[{}]"), queue.locks().keySet());

        assertEquals(2, queue.stopRecurrentTask("tick"));

        assertEquals(0, queue.length("default"));
        assertEquals(List.of(), queue.timestamps());
        assertEquals(Map.of(), queue.locks());
        assertTrue(queue.enqueue("tick", Map.of()));
    }

    @Test
    void locks_are_listed_and_deleted_by_name() {
        store.set("lock:a:q:[]", "1", 0);
        store.set("workerslock:b:q:[]", "2", 0);
        store.set("other", "3", 0);

        assertEquals(Map.of("lock:a:q:[]", "1", "workerslock:b:q:[]", "2"), queue.locks());
        assertTrue(queue.delLock("lock:a:q:[]"));
        assertFalse(queue.delLock("lock:a:q:[]"));
        assertEquals(Set.of("workerslock:b:q:[]"), queue.locks().keySet());
    }

    /** Records its calls into {@link #calls}. */
    private final class Hooks implements TaskMiddleware, TaskPlugin {
        private final String name;
        private final boolean allow;

        Hooks(String name, boolean allow) {
            this.name = name;
            this.allow = allow;
        }

        @Override
        public boolean preEnqueue(TaskEvent event) {
            calls.add(name + ".before");
            return allow;
        }

        @Override
        public void postEnqueue(TaskEvent event) {
            calls.add(name + ".after");
        }

        @Override
        public boolean beforeEnqueue(TaskEvent event) {
            return preEnqueue(event);
        }

        @Override
        public void afterEnqueue(TaskEvent event) {
            postEnqueue(event);
        }
    }
}
