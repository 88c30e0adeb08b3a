package io.herald.tasks.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.herald.api.Input;
import io.herald.api.Inputs;
import io.herald.api.task.FailedJob;
import io.herald.api.task.Job;
import io.herald.api.task.TaskEvent;
import io.herald.api.task.TaskMiddleware;
import io.herald.api.task.TaskPlugin;
import io.herald.api.task.TaskQueue;
import io.herald.api.task.WorkerStatus;
import io.herald.tasks.internal.engine.HostName;
import io.herald.tasks.internal.store.ResqueStore;
import io.herald.tasks.internal.wire.JsDate;
import io.herald.testing.Await;

class WorkerTest {

    private static final Pattern WORKER_NAME = Pattern.compile(Pattern.quote(HostName.get() + ":" + HostName.pid()) + "\\+\\d+");

    private final Harness harness = new Harness();
    private final ResqueStore store = harness.store();
    private final TaskProcessor processor = harness.processor();
    private final TaskQueue queue = processor.queue();

    @AfterEach
    void stop() {
        processor.stop();
    }

    @Test
    void a_worker_runs_jobs_with_their_validated_params_and_counts_them() {
        TestTasks.Recording hello = new TestTasks.Recording(Inputs.of(Input.required("name"),
                Input.optional("greeting").defaultValue("hi")));
        processor.registry().addTask(hello, TestTasks.props("sayHello").build(), TestTasks.nextOrder());
        processor.start(Harness.settings());

        for (String name : List.of("a", "b", "c")) {
            assertTrue(queue.enqueue("sayHello", Map.of("name", name)));
        }

        Await.until(() -> hello.count() == 3, "three jobs run");
        assertEquals(Map.of("name", "a", "greeting", "hi"), hello.runs().get(0));
        String worker = hello.workers().get(0);
        assertTrue(WORKER_NAME.matcher(worker).matches(), worker);
        Await.until(() -> Long.valueOf(3).equals(queue.stats().get("processed")), "processed counted");
        assertEquals(3L, queue.stats().get("processed:" + worker));
        assertEquals(0, queue.failedCount());
        assertEquals(List.of(worker + ":*"), new ArrayList<>(store.workers()));
    }

    @Test
    void a_job_that_throws_reaches_the_failed_queue_with_node_resques_payload() {
        TestTasks.Failing failing = new TestTasks.Failing();
        processor.registry().addTask(failing, TestTasks.props("explode").build(), TestTasks.nextOrder());
        processor.start(Harness.settings());

        queue.enqueue("explode", Map.of("a", 1));

        Await.until(() -> queue.failedCount() == 1, "one failed job");
        FailedJob failed = queue.failed(0, 0).get(0);
        assertTrue(WORKER_NAME.matcher(failed.worker()).matches(), failed.worker());
        assertEquals("default", failed.queue());
        assertEquals(new Job("explode", "default", List.of(Map.of("a", 1))), failed.payload());
        assertEquals("java.lang.IllegalStateException", failed.exception());
        assertEquals("boom {a=1}", failed.error());
        assertTrue(failed.backtrace().get(0).startsWith("at io.herald.tasks.internal.TestTasks$Failing.run"),
                failed.backtrace().toString());
        assertTrue(JsDate.parse(failed.failedAt()).isPresent(), failed.failedAt());
        assertTrue(failed.raw().startsWith("{\"worker\":\"" + failed.worker() + "\",\"queue\":\"default\",\"payload\":"
                + "{\"class\":\"explode\",\"queue\":\"default\",\"args\":[{\"a\":1}]},\"exception\":"
                + "\"java.lang.IllegalStateException\",\"error\":\"boom {a=1}\",\"backtrace\":[\"at "), failed.raw());
        assertTrue(failed.raw().contains("],\"failed_at\":\""), failed.raw());
        Await.until(() -> Long.valueOf(1).equals(queue.stats().get("failed")), "failed counted");
        assertNull(queue.stats().get("processed"));
        assertEquals(1, failing.count());
    }

    @Test
    void bad_jobs_fail_with_a_clear_error_and_the_worker_keeps_working() {
        TestTasks.Recording hello = new TestTasks.Recording(Inputs.of(Input.required("name")));
        processor.registry().addTask(hello, TestTasks.props("sayHello").build(), TestTasks.nextOrder());
        store.enqueue("default", "this is not json");
        store.enqueue("default", "{\"class\":\"ghost\",\"queue\":\"default\",\"args\":[]}");
        store.enqueue("default", "{\"class\":\"sayHello\",\"queue\":\"default\",\"args\":[{}]}");
        store.enqueue("default", "{\"class\":\"sayHello\",\"queue\":\"default\",\"args\":[1]}");
        store.enqueue("default", "{\"queue\":\"default\",\"args\":[]}");
        store.enqueue("default", "{\"class\":\"sayHello\",\"queue\":\"default\",\"args\":[{\"name\":\"ok\"}]}");

        processor.start(Harness.settings());

        Await.until(() -> hello.count() == 1 && queue.failedCount() == 5, "the good job run and five failures");
        List<FailedJob> failed = queue.failed(0, -1);
        assertEquals("SyntaxError", failed.get(0).exception());
        assertTrue(failed.get(0).error().startsWith("job payload is not JSON: "), failed.get(0).error());
        assertNull(failed.get(0).payload());
        assertTrue(failed.get(0).raw().contains("\"payload\":\"this is not json\""), failed.get(0).raw());
        assertEquals("No job defined for class \"ghost\"", failed.get(1).error());
        assertEquals("io.herald.api.task.TaskException", failed.get(2).exception());
        assertEquals("task sayHello: name is a required parameter for this action", failed.get(2).error());
        assertEquals("task sayHello takes its params as an object in args[0], got a number", failed.get(3).error());
        assertEquals("Error", failed.get(4).exception());
        assertTrue(failed.get(4).error().startsWith("job payload is not a Resque job: "), failed.get(4).error());
        assertEquals(List.of(Map.of("name", "ok")), hello.runs());
    }

    @Test
    void queues_are_worked_in_priority_order_and_star_means_every_queue_sorted() {
        List<String> order = Collections.synchronizedList(new ArrayList<>());
        processor.registry().addTask(context -> order.add(context.queue()), TestTasks.props("note").build(),
                TestTasks.nextOrder());
        for (String q : List.of("low", "high", "low", "high")) {
            queue.enqueue("note", Map.of(), q);
        }
        processor.start(Harness.settings("queues", "high,low"));
        Await.until(() -> order.size() == 4, "four jobs");
        assertEquals(List.of("high", "high", "low", "low"), order);
        processor.stop();

        order.clear();
        for (String q : List.of("c", "a", "b")) {
            queue.enqueue("note", Map.of(), q);
        }
        processor.start(Harness.settings("queues", "*"));
        Await.until(() -> order.size() == 3, "three jobs");
        assertEquals(List.of("a", "b", "c"), order);
    }

    @Test
    void middleware_then_plugins_run_around_each_job_and_a_declining_hook_skips_it() {
        List<String> calls = Collections.synchronizedList(new ArrayList<>());
        processor.registry().addMiddleware(new Recorder("global", calls, true), Map.of("herald.taskMiddleware.name",
                "global", "herald.taskMiddleware.global", true, "herald.taskMiddleware.priority", 10), TestTasks.nextOrder());
        processor.registry().addMiddleware(new Recorder("own", calls, true), Map.of("herald.taskMiddleware.name", "own",
                "herald.taskMiddleware.priority", 5), TestTasks.nextOrder());
        processor.registry().addPlugin(new Recorder("plugin", calls, true), Map.of("herald.taskPlugin.name", "Rec"),
                TestTasks.nextOrder());
        processor.registry().addPlugin(new Recorder("veto", calls, false), Map.of("herald.taskPlugin.name", "Veto"),
                TestTasks.nextOrder());
        processor.registry().addTask(context -> calls.add("run"), TestTasks.props("hooked").middleware("own")
                .plugins("Rec").build(), TestTasks.nextOrder());
        processor.registry().addTask(context -> calls.add("never"), TestTasks.props("vetoed").plugins("Veto").build(),
                TestTasks.nextOrder());
        queue.enqueue("hooked", Map.of());
        queue.enqueue("vetoed", Map.of());
        calls.clear();

        processor.start(Harness.settings());

        Await.until(() -> calls.size() == 9, "hooks of both jobs");
        assertEquals(List.of("own.before", "global.before", "plugin.before", "run", "own.after", "global.after",
                "plugin.after", "global.before", "veto.before"), calls);
        Await.until(() -> store.workingOn(processor.pool().workerNames().get(0), "*") == null, "job released");
        assertEquals(1L, queue.stats().get("processed"));
        assertEquals(0, queue.failedCount());
    }

    @Test
    void a_running_job_shows_in_workers_and_the_worker_pings() {
        TestTasks.Blocking blocking = new TestTasks.Blocking();
        processor.registry().addTask(blocking, TestTasks.props("slow").build(), TestTasks.nextOrder());
        processor.start(Harness.settings());
        queue.enqueue("slow", Map.of("n", 1));

        Await.until(() -> blocking.started() == 1, "job started");
        WorkerStatus status = queue.workers().get(0);
        assertEquals(new Job("slow", "default", List.of(Map.of("n", 1))), status.job());
        assertTrue(JsDate.parse(status.runAt()).isPresent(), status.runAt());
        assertTrue(store.pings().containsKey(status.worker()), store.pings().toString());
        assertTrue(store.pings().get(status.worker()).startsWith("{\"time\":"), store.pings().toString());
        blocking.release();
        Await.until(() -> !queue.workers().get(0).isWorking(), "worker idle again");
    }

    @Test
    void an_idle_worker_is_woken_by_a_local_enqueue() {
        TestTasks.Recording hello = new TestTasks.Recording();
        processor.registry().addTask(hello, TestTasks.props("hello").build(), TestTasks.nextOrder());
        // a poll interval far longer than the wait below: only the wake-up can make the job run in time
        processor.start(Harness.settings("timeout", "600000"));
        Await.until(() -> store.workers().size() == 1, "worker registered");

        queue.enqueue("hello", Map.of());

        Await.until(() -> hello.count() == 1, "job run");
    }

    /** Records its hook calls; returns {@code allow} from the before-hooks. */
    private record Recorder(String name, List<String> calls, boolean allow) implements TaskMiddleware, TaskPlugin {

        @Override
        public boolean preProcess(TaskEvent event) {
            calls.add(name + ".before");
            return allow;
        }

        @Override
        public void postProcess(TaskEvent event) {
            calls.add(name + ".after");
        }

        @Override
        public boolean beforePerform(TaskEvent event) {
            return preProcess(event);
        }

        @Override
        public void afterPerform(TaskEvent event) {
            postProcess(event);
        }
    }
}
