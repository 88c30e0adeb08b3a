package io.herald.tasks.internal.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.herald.api.Input;
import io.herald.api.Inputs;
import io.herald.api.task.FailedJob;
import io.herald.api.task.Job;
import io.herald.api.task.TaskQueue;
import io.herald.api.Caller;
import io.herald.api.spi.Redactor;
import io.herald.core.ActionPipeline;
import io.herald.tasks.internal.Harness;
import io.herald.tasks.internal.TestTasks;
import io.herald.tasks.internal.engine.JobRunner;
import io.herald.testing.SpecHelper;
import io.herald.testing.SpecResponse;

/** The resque:* admin actions and the runAction task, through the real action pipeline and a real task processor. */
class AdminActionsTest {

    private Harness harness;
    private TaskQueue tasks;
    private static final Caller ADMIN = new Caller("ops", Set.of("admin"), "test");

    private SpecHelper spec;
    private ResqueQueuedAction queuedAction;
    private ResqueFailedAction failedAction;
    private ResqueDelayedJobsAction delayedJobsAction;

    /** Filters {@code password}, as the param-filtering bundle's redactor does by default. */
    private static final Redactor PASSWORDS = new Redactor() {
        @Override
        public Map<String, Object> params(Map<String, ?> params) {
            Map<String, Object> copy = new java.util.LinkedHashMap<>(params);
            copy.replaceAll((k, v) -> k.equals("password") ? FILTERED : v);
            return copy;
        }

        @Override
        public Map<String, Object> response(Map<String, ?> response) {
            return params(response);
        }
    };

    private SpecResponse asAdmin(String action, Map<String, ?> params) {
        return spec.runActionAs(ADMIN, action, params);
    }

    @BeforeEach
    void setUp() {
        harness = new Harness();
        tasks = harness.processor().queue();
        harness.processor().registry().addTask(context -> {
            throw new IllegalStateException("boom " + context.param("n"));
        }, TestTasks.props("explode").build(), TestTasks.nextOrder());
        harness.processor().registry().addTask(context -> null, TestTasks.props("calm").queue("slow").build(),
                TestTasks.nextOrder());
        queuedAction = new ResqueQueuedAction(tasks);
        failedAction = new ResqueFailedAction(tasks);
        delayedJobsAction = new ResqueDelayedJobsAction(tasks);
        spec = SpecHelper.of(new ResqueDetailsAction(tasks), queuedAction,
                new ResqueDelQueueAction(tasks), failedAction, new ResqueRemoveFailedAction(tasks),
                new ResqueRetryAndRemoveFailedAction(tasks), new ResqueRemoveAllFailedAction(tasks),
                new ResqueRetryAndRemoveAllFailedAction(tasks), new ResqueLocksAction(tasks),
                new ResqueDelLockAction(tasks), new ResqueFailedCountAction(tasks), delayedJobsAction,
                new ResqueDelDelayedAction(tasks), new ResqueRunDelayedAction(tasks),
                new ResqueForceCleanWorkerAction(tasks), new ResqueRecurringAction(tasks));
    }

    @Test
    void details_lists_queues_with_their_lengths_and_the_counters() {
        tasks.enqueue("calm", Map.of("n", 1));
        tasks.enqueue("calm", Map.of("n", 2));
        tasks.enqueue("explode", Map.of("n", 3));
        assertEquals(JobRunner.Outcome.FAILED, harness.work("default"));

        SpecResponse details = asAdmin("resque:details", Map.of());

        assertTrue(details.isSuccess(), details::toString);
        @SuppressWarnings("unchecked")
        Map<String, Object> body = (Map<String, Object>) details.get("details");
        assertEquals(Map.of("default", Map.of("length", 0L), "slow", Map.of("length", 2L)), body.get("queues"));
        assertEquals(1L, body.get("failedCount"));
        assertEquals(1L, ((Map<?, ?>) body.get("stats")).get("failed"));
    }

    @Test
    void queued_pages_a_queue_and_delQueue_deletes_it() {
        for (int n = 0; n < 5; n++) {
            tasks.enqueue("calm", Map.of("n", n));
        }
        SpecResponse page = asAdmin("resque:queued", Map.of("queue", "slow", "start", "1", "stop", "2"));
        assertEquals(5L, page.get("length"), page::toString);
        List<?> jobs = (List<?>) page.get("jobs");
        assertEquals(List.of(Map.of("n", Redactor.FILTERED)), ((Map<?, ?>) jobs.get(0)).get("args"),
                "without a redactor no value is shown");
        queuedAction.redactor = PASSWORDS;
        jobs = (List<?>) asAdmin("resque:queued", Map.of("queue", "slow", "start", "1", "stop", "2")).get("jobs");
        assertEquals(List.of(Map.of("n", 1)), ((Map<?, ?>) jobs.get(0)).get("args"));
        assertEquals(2, jobs.size());

        assertTrue(asAdmin("resque:delQueue", Map.of("queue", "slow")).isSuccess());
        assertEquals(0, tasks.length("slow"));
        assertEquals(422, asAdmin("resque:queued", Map.of()).status(), "queue is required");
    }

    @Test
    void a_failed_job_is_listed_with_its_id_retried_by_id_and_then_succeeds_or_is_removed() {
        tasks.enqueue("explode", Map.of("n", 7));
        tasks.enqueue("explode", Map.of("n", 8));
        harness.work("default");
        harness.work("default");

        SpecResponse failed = asAdmin("resque:failed", Map.of());
        assertEquals(2L, failed.get("total"), failed::toString);
        Map<?, ?> first = (Map<?, ?>) ((List<?>) failed.get("failed")).get(0);
        assertEquals(0L, first.get("id"));
        assertEquals("boom 7", first.get("error"));
        assertEquals("java.lang.IllegalStateException", first.get("exception"));

        assertEquals(true, asAdmin("resque:retryAndRemoveFailed", Map.of("id", "0")).get("retried"));
        assertEquals(1, tasks.failedCount());
        assertEquals(1, tasks.length("default"));
        assertEquals(Map.of("n", 7), tasks.queued("default", 0, 0).get(0).params());

        assertEquals(true, asAdmin("resque:removeFailed", Map.of("id", "0")).get("removed"));
        assertEquals(0, tasks.failedCount());
        assertEquals(404, asAdmin("resque:removeFailed", Map.of("id", "0")).status());
        assertEquals(422, asAdmin("resque:removeFailed", Map.of("id", "first")).status());
    }

    @Test
    void all_failed_jobs_are_removed_or_retried_at_once() {
        for (int n = 0; n < 3; n++) {
            tasks.enqueue("explode", Map.of("n", n));
            harness.work("default");
        }
        assertEquals(3L, asAdmin("resque:retryAndRemoveAllFailed", Map.of()).get("retried"));
        assertEquals(3, tasks.length("default"));
        for (int n = 0; n < 3; n++) {
            harness.work("default");
        }
        assertEquals(3L, asAdmin("resque:removeAllFailed", Map.of()).get("removed"));
        assertEquals(0, tasks.failedCount());
    }

    @Test
    void locks_are_listed_and_deleted_by_name() {
        harness.store().setIfAbsent("lock:calm:slow:[{}]", "123", 60);
        assertEquals(Map.of("lock:calm:slow:[{}]", "123"), asAdmin("resque:locks", Map.of()).get("locks"));
        assertEquals(true, asAdmin("resque:delLock", Map.of("lock", "lock:calm:slow:[{}]")).get("deleted"));
        assertEquals(Map.of(), asAdmin("resque:locks", Map.of()).get("locks"));
    }

    @Test
    void runAction_runs_the_named_action_and_a_failing_action_fails_the_job_with_its_error() {
        ActionPipeline actions = ActionPipeline.builder()
                .action(new io.herald.api.Action() {
                    @Override
                    public Inputs inputs() {
                        return Inputs.of(Input.required("a"), Input.required("b"));
                    }

                    @Override
                    public Object run(io.herald.api.ActionContext context) {
                        return Map.of("sum", Integer.parseInt(context.param("a").toString())
                                + Integer.parseInt(context.param("b").toString()));
                    }
                }, Map.of("herald.action.name", "add"))
                .build();
        harness.processor().registry().addTask(new RunActionTask(actions), TestTasks.props("runAction").build(),
                TestTasks.nextOrder());

        tasks.enqueue("runAction", Map.of("action", "add", "a", 1, "b", 2));
        assertEquals(JobRunner.Outcome.SUCCEEDED, harness.work("default"));

        tasks.enqueue("runAction", Map.of("action", "add", "a", 1));
        assertEquals(JobRunner.Outcome.FAILED, harness.work("default"));
        String error = tasks.failed(0, 0).get(0).error();
        assertTrue(error.startsWith("action add failed with status 422: b is a required parameter"), error);
    }

    @Test
    void every_admin_action_requires_the_admin_role() throws Exception {
        tasks.enqueue("calm", Map.of("n", 9), "guarded");
        for (String action : List.of("resque:details", "resque:queued", "resque:delQueue", "resque:failed",
                "resque:removeFailed", "resque:retryAndRemoveFailed", "resque:removeAllFailed",
                "resque:retryAndRemoveAllFailed", "resque:locks", "resque:delLock", "resque:failedCount",
                "resque:delayedjobs", "resque:delDelayed", "resque:runDelayed", "resque:forceCleanWorker",
                "resque:recurring")) {
            Map<String, Object> params = Map.of("queue", "guarded", "id", "0", "lock", "x", "timestamp", "0",
                    "count", "0", "workerName", Harness.WORKER);
            assertEquals(401, spec.runAction(action, params).status(), action + " anonymous");
            assertEquals(403, spec.runActionAs(new Caller("viewer", Set.of("reader"), "test"), action, params).status(),
                    action + " without the role");
        }
        assertEquals(1, tasks.length("guarded"), "the refused calls left the queue alone");
    }

    @Test
    void a_failed_job_shows_its_secrets_filtered_and_keeps_them_for_a_retry() {
        failedAction.redactor = PASSWORDS;
        tasks.enqueue("explode", Map.of("n", 5, "password", "hunter2"));
        assertEquals(JobRunner.Outcome.FAILED, harness.work("default"));
        Map<?, ?> payload = (Map<?, ?>) ((Map<?, ?>) ((List<?>) asAdmin("resque:failed", Map.of()).get("failed")).get(0))
                .get("payload");
        assertEquals(List.of(Map.of("n", 5, "password", Redactor.FILTERED)), payload.get("args"));
        assertEquals(Map.of("n", 5, "password", "hunter2"), tasks.failed(0, 0).get(0).payload().params(),
                "the failed queue keeps the args");
    }

    @Test
    void failedCount_counts_the_failed_queue() {
        assertEquals(0L, asAdmin("resque:failedCount", Map.of()).get("failedCount"));
        tasks.enqueue("explode", Map.of("n", 1));
        harness.work("default");
        assertEquals(1L, asAdmin("resque:failedCount", Map.of()).get("failedCount"));
    }

    @Test
    void delayed_jobs_are_paged_by_second_and_one_is_run_now_or_removed_by_second_and_index() {
        Instant first = Instant.ofEpochSecond(Instant.now().getEpochSecond() + 3600);
        Instant second = first.plusSeconds(60);
        tasks.enqueueAt(first, "calm", Map.of("n", 1));
        tasks.enqueueAt(first, "calm", Map.of("n", 2));
        tasks.enqueueAt(second, "calm", Map.of("n", 3));
        delayedJobsAction.redactor = PASSWORDS;

        SpecResponse page = asAdmin("resque:delayedjobs", Map.of());
        assertEquals(2, page.get("timestampsCount"), page::toString);
        List<?> seconds = (List<?>) page.get("delayedjobs");
        Map<?, ?> earliest = (Map<?, ?>) seconds.get(0);
        assertEquals(first.toEpochMilli(), earliest.get("timestamp"));
        assertEquals(List.of(List.of(Map.of("n", 1)), List.of(Map.of("n", 2))),
                ((List<?>) earliest.get("jobs")).stream().map(job -> ((Map<?, ?>) job).get("args")).toList());
        assertEquals(1, ((List<?>) asAdmin("resque:delayedjobs", Map.of("start", "1", "stop", "1")).get("delayedjobs"))
                .size());

        SpecResponse run = asAdmin("resque:runDelayed", Map.of("timestamp", Long.toString(first.toEpochMilli()), "count", "1"));
        assertEquals(true, run.get("enqueued"), run::toString);
        assertEquals(Map.of("n", 2), tasks.queued("slow", 0, 0).get(0).params(), "moved to its queue");
        assertEquals(1, tasks.delayedAt(first).size());

        SpecResponse removed = asAdmin("resque:delDelayed", Map.of("timestamp", Long.toString(second.toEpochMilli()),
                "count", "0"));
        assertEquals(List.of(second.toEpochMilli()), removed.get("timestamps"), removed::toString);
        assertEquals(List.of(first), tasks.timestamps());

        assertEquals(404, asAdmin("resque:runDelayed", Map.of("timestamp", Long.toString(second.toEpochMilli()),
                "count", "0")).status(), "nothing is delayed to that second any more");
        assertEquals(404, asAdmin("resque:delDelayed", Map.of("timestamp", Long.toString(first.toEpochMilli()),
                "count", "5")).status());
        assertEquals(422, asAdmin("resque:delayedjobs", Map.of("start", "0", "stop", "5000")).status());
    }

    @Test
    void a_delayed_job_run_now_passes_its_hooks_as_when_the_scheduler_moves_it() {
        // DelayQueueLock declines a copy while the same job is delayed; the copy being moved does not count
        harness.processor().registry().addTask(context -> null, TestTasks.props("guarded").plugins("DelayQueueLock")
                .build(), TestTasks.nextOrder());
        Instant at = Instant.ofEpochSecond(Instant.now().getEpochSecond() + 600);
        tasks.enqueueAt(at, "guarded", Map.of("n", 1));
        Job job = tasks.delayedAt(at).get(0);

        assertTrue(tasks.runDelayed(at, job));
        assertEquals(1, tasks.length("default"));
        assertEquals(List.of(), tasks.timestamps());
        assertEquals(false, tasks.runDelayed(at, job), "no longer delayed: not moved twice");
        assertEquals(1, tasks.length("default"));
    }

    @Test
    void forceCleanWorker_removes_a_worker_and_fails_the_job_it_held() {
        tasks.enqueue("calm", Map.of("n", 4));
        String worker = "deadhost:4242+1";
        harness.store().registerWorker(worker, "slow", Instant.now().getEpochSecond());
        assertNotNull(harness.store().popAndStore("slow", worker, "slow", "Mon Dec 07 2026 10:00:00 GMT+0000"));

        SpecResponse cleaned = asAdmin("resque:forceCleanWorker", Map.of("workerName", worker));

        assertTrue(cleaned.isSuccess(), cleaned::toString);
        Map<?, ?> removed = (Map<?, ?>) cleaned.get("removed");
        assertEquals(worker, removed.get("worker"));
        assertEquals("calm", ((Map<?, ?>) ((Map<?, ?>) removed.get("status")).get("payload")).get("class"));
        assertEquals(List.of(), tasks.workers());
        FailedJob failed = tasks.failed(0, 0).get(0);
        assertEquals("Worker Timeout (killed manually)", failed.error());
        assertEquals(Map.of("n", 4), failed.payload().params(), "the job can be retried from the failed queue");
        assertEquals(404, asAdmin("resque:forceCleanWorker", Map.of("workerName", worker)).status());
    }

    @Test
    void recurring_lists_each_recurring_task_with_the_second_its_next_run_is_delayed_to() {
        harness.processor().registry().addTask(context -> null, TestTasks.props("tick").queue("clock").frequency(60_000)
                .build(), TestTasks.nextOrder());
        assertEquals(List.of(Map.of("name", "tick", "queue", "clock", "frequency", 60_000L, "scheduledAt", List.of())),
                asAdmin("resque:recurring", Map.of()).get("recurring"), "not delayed: queued, running or lost");

        Instant next = Instant.ofEpochSecond(Instant.now().getEpochSecond() + 60);
        tasks.enqueueAt(next, "tick", Map.of());
        assertEquals(List.of(next.toEpochMilli()), ((Map<?, ?>) ((List<?>) asAdmin("resque:recurring", Map.of())
                .get("recurring")).get(0)).get("scheduledAt"));
    }
}
