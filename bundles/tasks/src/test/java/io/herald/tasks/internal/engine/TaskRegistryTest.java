package io.herald.tasks.internal.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.herald.api.task.Job;
import io.herald.api.task.Task;
import io.herald.api.task.TaskContext;
import io.herald.api.task.TaskMiddleware;
import io.herald.api.task.TaskPlugin;
import io.herald.tasks.internal.Harness;
import io.herald.tasks.internal.TestTasks;
import io.herald.testing.Await;

class TaskRegistryTest {

    private final TaskRegistry registry = new TaskRegistry();

    @Test
    void of_two_tasks_with_one_name_the_higher_ranking_answers_then_the_newest_and_the_other_takes_over() {
        TestTasks.Recording first = new TestTasks.Recording();
        TestTasks.Recording second = new TestTasks.Recording();
        TestTasks.Recording ranked = new TestTasks.Recording();

        registry.addTask(first, TestTasks.props("job").build(), 1);
        registry.addTask(second, TestTasks.props("job").build(), 2);
        assertSame(second, registry.task("job").task());
        registry.addTask(ranked, TestTasks.props("job").ranking(10).build(), 3);
        TestTasks.Recording newest = new TestTasks.Recording();
        registry.addTask(newest, TestTasks.props("job").build(), 4);
        assertSame(ranked, registry.task("job").task());

        registry.removeTask(ranked);
        assertSame(newest, registry.task("job").task());
        registry.removeTask(newest);
        assertSame(second, registry.task("job").task());
        registry.removeTask(second);
        assertSame(first, registry.task("job").task());
        registry.removeTask(first);
        assertNull(registry.task("job"));
    }

    @Test
    void a_job_whose_task_is_being_replaced_waits_for_the_replacement() throws Exception {
        TestTasks.Recording old = new TestTasks.Recording();
        registry.addTask(old, TestTasks.props("job").build(), 1);
        registry.removeTask(old);

        java.util.concurrent.CompletableFuture<RegisteredTask> waiting = java.util.concurrent.CompletableFuture
                .supplyAsync(() -> {
                    try {
                        try (TaskRegistry.Run run = registry.startRun("job", 60_000)) {
                            return run.task();
                        }
                    } catch (InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                });
        TestTasks.Recording replacement = new TestTasks.Recording();
        registry.addTask(replacement, TestTasks.props("job").build(), 2);

        assertSame(replacement, waiting.get(30, java.util.concurrent.TimeUnit.SECONDS).task());
    }

    @Test
    void a_name_that_never_had_a_task_or_whose_task_left_longer_ago_than_the_grace_is_unknown_at_once()
            throws Exception {
        assertNull(registry.startRun("never", 60_000));
        TestTasks.Recording gone = new TestTasks.Recording();
        registry.addTask(gone, TestTasks.props("gone").build(), 1);
        registry.removeTask(gone);
        assertNull(registry.startRun("gone", 0));
    }

    @Test
    void removing_a_task_waits_until_its_job_in_flight_has_finished() throws Exception {
        Harness harness = new Harness();
        TestTasks.Blocking blocking = new TestTasks.Blocking();
        harness.processor().registry().addTask(blocking, TestTasks.props("slow").build(), 1);
        harness.processor().queue().enqueue("slow", Map.of());
        CompletableFuture<JobRunner.Outcome> job = CompletableFuture.supplyAsync(() -> harness.work("default"));
        Await.until(() -> blocking.started() == 1, "the job runs");

        Thread remover = new Thread(() -> harness.processor().registry().removeTask(blocking), "remover");
        remover.start();
        Await.until(() -> remover.getState() == Thread.State.TIMED_WAITING, "the removal waits");
        assertNull(harness.processor().registry().task("slow"), "new jobs no longer find the task");
        assertTrue(remover.isAlive());
        assertFalse(job.isDone());

        blocking.release();
        assertEquals(JobRunner.Outcome.SUCCEEDED, job.get(30, TimeUnit.SECONDS), "the job finished with its task");
        remover.join(30_000);
        assertFalse(remover.isAlive(), "the removal returned once the job had finished");
        assertEquals(1, blocking.finished());
    }

    @Test
    void the_removal_waits_no_longer_than_its_bound_and_never_for_a_job_of_its_own_thread() throws Exception {
        TestTasks.Recording other = new TestTasks.Recording();
        registry.addTask(other, TestTasks.props("other").build(), 1);
        TaskRegistry.Run held = registry.startRun("other", 0);
        registry.departureTimeout(0);
        registry.removeTask(other); // a run of this very thread, and a bound of 0: returns at once
        held.close();

        Harness harness = new Harness();
        TaskRegistry tasks = harness.processor().registry();
        Task removesItself = new Task() {
            @Override
            public Object run(TaskContext context) {
                tasks.removeTask(this);
                return "removed";
            }
        };
        tasks.addTask(removesItself, TestTasks.props("self").build(), 2);
        harness.processor().queue().enqueue("self", Map.of());
        assertEquals(JobRunner.Outcome.SUCCEEDED, harness.work("default"), "a task removing itself does not wait");
        assertNull(tasks.task("self"));
    }

    @Test
    void a_run_ended_twice_counts_once() throws Exception {
        TestTasks.Recording task = new TestTasks.Recording();
        registry.addTask(task, TestTasks.props("job").build(), 1);
        TaskRegistry.Run first = registry.startRun("job", 0);
        first.close();
        first.close();
        Thread remover = new Thread(() -> registry.removeTask(task));
        remover.start();
        remover.join(30_000);
        assertFalse(remover.isAlive(), "no run left in flight");
    }

    @Test
    void a_task_without_a_name_or_with_a_negative_frequency_is_refused() {
        assertFalse(registry.addTask(new TestTasks.Recording(), Map.of(), 1));
        assertFalse(registry.addTask(new TestTasks.Recording(), TestTasks.props("bad").frequency(-1).build(), 2));
        assertTrue(registry.tasks().isEmpty());
    }

    @Test
    void a_task_reads_its_metadata_and_a_recurring_one_gets_the_three_locks_with_job_lock_not_re_enqueuing() {
        registry.addTask(new TestTasks.Recording(null, Map.of("JobLock", Map.of("lockTimeout", 60))),
                TestTasks.props("tick").queue("cron").frequency(1000).plugins("Retry", "QueueLock").build(), 1);

        RegisteredTask tick = registry.task("tick");
        assertEquals("cron", tick.queue());
        assertTrue(tick.recurring());
        assertEquals(List.of("Retry", "QueueLock", "DelayQueueLock", "JobLock"), tick.plugins());
        assertEquals(Map.of("lockTimeout", 60, "reEnqueue", false), tick.pluginOptions("JobLock"));
        assertEquals(Map.of(), tick.pluginOptions("Retry"));
        assertEquals("tick", tick.description());
        assertTrue(tick.inputs().isEmpty());
    }

    @Test
    void the_chain_runs_middleware_by_priority_globals_first_then_the_tasks_plugins_in_order() throws Exception {
        List<String> calls = new ArrayList<>();
        addMiddleware("late", true, 200, calls);
        addMiddleware("early", true, 10, calls);
        addMiddleware("mine", false, 10, calls);
        addMiddleware("unused", false, 1, calls);
        registry.addPlugin(new Named("p1", calls), Map.of("herald.taskPlugin.name", "P1"), 1);
        registry.addPlugin(new Named("p2", calls), Map.of("herald.taskPlugin.name", "P2"), 2);
        registry.addTask(new TestTasks.Recording(), TestTasks.props("t").middleware("mine").plugins("P2", "P1").build(), 1);

        HookChain chain = registry.chainFor(registry.task("t"));
        assertNull(chain.missing());
        assertTrue(chain.beforeEnqueue(JobEvent.enqueuing(new Job("t", "default", List.of()), null)));
        assertEquals(List.of("early", "mine", "late", "p2", "p1"), calls);
    }

    @Test
    void a_chain_naming_something_unregistered_says_what_is_missing_and_recovers_when_it_arrives() {
        registry.addTask(new TestTasks.Recording(), TestTasks.props("t").middleware("audit").build(), 1);
        assertEquals("task t uses the middleware audit, which is not registered on this node",
                registry.chainFor(registry.task("t")).missing());

        addMiddleware("audit", false, 100, new ArrayList<>());

        assertNull(registry.chainFor(registry.task("t")).missing());
    }

    @Test
    void a_plugin_service_without_a_name_is_refused_and_listeners_hear_of_new_tasks() {
        assertFalse(registry.addPlugin(new Named("x", new ArrayList<>()), Map.of(), 1));
        List<String> added = new ArrayList<>();
        registry.onTaskAdded(task -> added.add(task.name()));

        registry.addTask(new TestTasks.Recording(), TestTasks.props("a").build(), 1);
        registry.addTask(new TestTasks.Recording(), TestTasks.props("a").build(), 0);

        assertEquals(List.of("a"), added, "an older registration that does not answer is not news");
    }

    private void addMiddleware(String name, boolean global, int priority, List<String> calls) {
        registry.addMiddleware(new Named(name, calls), Map.of("herald.taskMiddleware.name", name,
                "herald.taskMiddleware.global", global, "herald.taskMiddleware.priority", priority), priority);
    }

    private record Named(String name, List<String> calls) implements TaskMiddleware, TaskPlugin {

        @Override
        public boolean preEnqueue(io.herald.api.task.TaskEvent event) {
            calls.add(name);
            return true;
        }

        @Override
        public boolean beforeEnqueue(io.herald.api.task.TaskEvent event) {
            calls.add(name);
            return true;
        }
    }
}
