package io.herald.tasks.internal.engine;

import java.util.List;
import java.util.Map;

import io.herald.api.task.Job;
import io.herald.api.task.TaskException;
import io.herald.tasks.internal.wire.JsDate;
import io.herald.tasks.internal.wire.JsJson;
import io.herald.tasks.internal.wire.Payloads;
import io.herald.tasks.internal.wire.StackLines;
import io.herald.tasks.internal.wire.WireFormatException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Performs one job a worker popped, as node-resque's {@code Worker.perform} with Actionhero's {@code jobWrapper}:
 * read the job, find its task, check its params, run the before-hooks (middleware {@code preProcess}, plugins
 * {@code beforePerform}), run the task, enqueue the next run of a recurring task, run the after-hooks. The outcome says
 * how the worker completes the job; this class writes nothing about the job's end itself.
 *
 * <p>Bad jobs fail with a clear error and never stop the worker: a payload that is not JSON or not a job, a class no
 * task here answers to ({@code No job defined for class "<class>"}, node-resque's words), params that fail the task's
 * inputs, a plugin or middleware the task names that is not registered.
 */
public final class JobRunner {

    private static final Logger LOG = LoggerFactory.getLogger(JobRunner.class);

    /**
     * How long a job waits for its task when the task's bundle is being replaced (the old service left, the new one is
     * not registered yet): the core's default {@code replacementGraceMillis} for actions.
     */
    static final long REPLACEMENT_GRACE_MILLIS = 1500;

    /** How the worker completes a job. */
    public enum Outcome {
        /** Counted as processed. */
        SUCCEEDED,
        /** Counted as failed; {@link Result#failure()} goes to the failed queue. */
        FAILED,
        /** A before-hook declined it (e.g. {@code JobLock}): neither processed nor failed, as in node-resque. */
        SKIPPED
    }

    /**
     * @param failure the failure payload to store, for {@link Outcome#FAILED}
     * @param job the job, {@code null} when the payload was unreadable
     */
    public record Result(Outcome outcome, String failure, Job job) {
    }

    private final ResqueTaskQueue tasks;

    public JobRunner(ResqueTaskQueue tasks) {
        this.tasks = tasks;
    }

    /**
     * @param queue the queue the job was popped from
     * @param raw the job's text as popped
     */
    public Result perform(String queue, String raw, String workerName) {
        try {
            return performJob(queue, raw, workerName);
        } catch (RuntimeException e) {
            // a bug or a store failure outside the task's own code: the job is still failed, never left claimed
            LOG.error("job on {} failed outside its task: {}", queue, e.toString(), e);
            return new Result(Outcome.FAILED, failure(workerName, queue, raw, e), null);
        }
    }

    private Result performJob(String queue, String raw, String workerName) {
        Job job;
        try {
            job = Payloads.decodeJob(raw, queue);
        } catch (WireFormatException e) {
            String exception = isJson(raw) ? "Error" : "SyntaxError";
            String message = "SyntaxError".equals(exception) ? "job payload is not JSON: " + e.getMessage()
                    : "job payload is not a Resque job: " + e.getMessage();
            // the log line leaves out the excerpt of the payload that the message quotes: an unreadable job's args
            // cannot be filtered (the failed queue keeps the whole payload anyway, for whoever inspects it there)
            LOG.warn("job on {} failed: job payload is {} ({} characters)", queue,
                    "SyntaxError".equals(exception) ? "not JSON" : "not a Resque job", raw.length());
            return new Result(Outcome.FAILED, failure(workerName, queue, raw, exception, message, List.of()), null);
        }
        TaskRegistry.Run run;
        try {
            run = tasks.registry().startRun(job.taskName(), REPLACEMENT_GRACE_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            run = null;
        }
        if (run == null) {
            // node-resque's message, so that mixed Node/Java deployments read one text
            String message = "No job defined for class \"" + job.taskName() + "\"";
            LOG.warn("job on {} failed: {} (args={})", queue, message, tasks.loggedArgs().of(job));
            return new Result(Outcome.FAILED, failure(workerName, queue, raw, "Error", message, List.of()), job);
        }
        // the task's removal (its bundle stopping) waits until the run is closed
        try (TaskRegistry.Run running = run) {
            return perform(running.task(), job, queue, raw, workerName);
        }
    }

    private Result perform(RegisteredTask task, Job job, String queue, String raw, String workerName) {
        HookChain chain = tasks.registry().chainFor(task);
        if (chain.missing() != null) {
            LOG.warn("job of task {} on {} failed: {} (args={})", task.name(), queue, chain.missing(),
                    tasks.loggedArgs().of(job));
            return new Result(Outcome.FAILED, failure(workerName, queue, raw, "Error", chain.missing(), List.of()), job);
        }
        Map<String, Object> params;
        try {
            params = params(task, job);
        } catch (TaskException e) {
            LOG.warn("job of task {} on {} failed: {} (args={})", task.name(), queue, e.getMessage(),
                    tasks.loggedArgs().of(job));
            return new Result(Outcome.FAILED, failure(workerName, queue, raw, e), job);
        }

        JobEvent event = JobEvent.performing(job, workerName, tasks);
        boolean run;
        try {
            run = chain.beforePerform(event);
        } catch (Exception e) {
            event.fail(e);
            run = false;
        }
        if (!run && event.error() == null) {
            LOG.debug("job of task {} on {} skipped: {} declined it", task.name(), queue, event.declinedBy());
            return new Result(Outcome.SKIPPED, null, job);
        }
        if (run) {
            try {
                event.succeed(task.task().run(new JobContext(task.name(), job.queue(), params, workerName, tasks)));
            } catch (Exception | LinkageError | AssertionError | StackOverflowError e) {
                event.fail(e);
            }
            if (task.recurring() && (event.error() == null || task.reEnqueuePeriodicTaskIfException())) {
                scheduleNextRun(task);
            }
        }
        try {
            chain.afterPerform(event);
        } catch (Exception e) {
            // node-resque: an after-hook's error fails a job that succeeded; the job's own error stays the one reported
            if (event.error() == null) {
                event.fail(e);
            } else {
                LOG.warn("job of task {} on {}: an afterPerform/postProcess hook failed too: {}", task.name(), queue,
                        e.toString());
            }
        }
        Throwable error = event.error();
        if (error != null) {
            LOG.warn("job of task {} on {} failed: {} (args={})", task.name(), queue, error.toString(),
                    tasks.loggedArgs().of(job));
            LOG.debug("job of task {} on {} failed", task.name(), queue, error);
            return new Result(Outcome.FAILED, failure(workerName, queue, raw, error), job);
        }
        if (LOG.isDebugEnabled()) {
            LOG.debug("job of task {} on {} done: {} (args={})", task.name(), queue, event.result(),
                    tasks.loggedArgs().of(job));
        }
        return new Result(Outcome.SUCCEEDED, null, job);
    }

    /**
     * The params the task runs with: {@code args[0]} (Actionhero passes it to {@code run}), checked against the task's
     * inputs again with defaults applied: a job written by another client, or before the inputs changed, may not pass.
     */
    private Map<String, Object> params(RegisteredTask task, Job job) {
        Object first = job.args().isEmpty() ? null : job.args().get(0);
        if (first != null && !(first instanceof Map<?, ?>)) {
            // the arg's type only: this message is logged and stored in the failed queue, and the arg may hold a secret
            throw new TaskException(TaskException.Reason.INVALID_PARAMS, "task " + task.name()
                    + " takes its params as an object in args[0], got " + JsJson.describe(first));
        }
        @SuppressWarnings("unchecked")
        Map<String, ?> given = first == null ? Map.of() : (Map<String, ?>) first;
        return tasks.validated(task, given);
    }

    /** The job of a result for a log line: its task, queue and args as {@link LoggedArgs} shows them. */
    public String describe(Result result) {
        return result.job() == null ? "an unreadable job" : tasks.loggedArgs().describe(result.job());
    }

    private void scheduleNextRun(RegisteredTask task) {
        try {
            Recurrence.reEnqueue(tasks, task);
        } catch (RuntimeException e) {
            // the scheduler's checks enqueue it again (at its next start, or when a stuck worker is cleaned)
            LOG.error("recurring task {}: the next run could not be scheduled: {}", task.name(), e.getMessage(), e);
        }
    }

    private static String failure(String worker, String queue, String raw, Throwable error) {
        return failure(worker, queue, raw, error.getClass().getName(),
                error.getMessage() == null ? error.toString() : error.getMessage(), StackLines.backtrace(error));
    }

    private static String failure(String worker, String queue, String raw, String exception, String message,
            List<String> backtrace) {
        return Payloads.encodeFailure(worker, queue, raw, exception, message, backtrace, JsDate.now());
    }

    private static boolean isJson(String raw) {
        try {
            JsJson.parse(raw);
            return true;
        } catch (WireFormatException e) {
            return false;
        }
    }
}
