package io.herald.tasks.internal.admin;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.herald.api.ActionException;
import io.herald.api.Formatters;
import io.herald.api.Input;
import io.herald.api.Inputs;
import io.herald.api.task.FailedJob;
import io.herald.api.task.Job;
import io.herald.api.task.QueueDetails;
import io.herald.api.task.RecurringTask;
import io.herald.api.spi.Redactor;
import io.herald.api.task.TaskQueue;
import io.herald.api.task.WorkerStatus;

/**
 * What the admin actions answer, as the ah-resque-ui plugin's actions for Actionhero do (same names under
 * {@code resque:}, failed jobs addressed by their index in the failed list). Kept apart from the action classes so
 * the answers can be tested without a framework.
 */
final class QueueAdminActions {

    /**
     * The role every {@code resque:*} action requires: they read every job's arguments and can empty queues. (The
     * ah-resque-ui plugin leaves protecting them to each application; here the core refuses them to anyone else.)
     */
    static final String ADMIN_ROLE = "admin";

    /** How many failed jobs one page lists at most. */
    static final long MAX_PAGE = 1000;

    private QueueAdminActions() {
    }

    static Map<String, Object> details(TaskQueue tasks, Redactor redactor) {
        QueueDetails details = tasks.details();
        Map<String, Object> queues = new LinkedHashMap<>();
        details.queues().entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(e -> queues.put(e.getKey(), Map.of("length", e.getValue())));
        List<Map<String, Object>> workers = new ArrayList<>();
        for (WorkerStatus worker : details.workers()) {
            workers.add(worker(worker, redactor));
        }
        Map<String, Object> resque = new LinkedHashMap<>();
        resque.put("queues", queues);
        resque.put("workers", workers);
        resque.put("stats", new java.util.TreeMap<>(details.stats()));
        resque.put("failedCount", details.failed());
        resque.put("delayedCount", details.delayed());
        resque.put("leader", details.leader());
        return Map.of("details", resque);
    }

    static Map<String, Object> queued(TaskQueue tasks, String queue, long start, long stop, Redactor redactor) {
        List<Object> jobs = new ArrayList<>();
        for (Job job : tasks.queued(queue, start, stop)) {
            jobs.add(job(job, redactor));
        }
        return Map.of("queue", queue, "length", tasks.length(queue), "jobs", jobs);
    }

    static Map<String, Object> failed(TaskQueue tasks, long start, long stop, Redactor redactor) {
        if (stop >= 0 && stop - start + 1 > MAX_PAGE) {
            throw ActionException.unprocessable("list at most " + MAX_PAGE + " failed jobs at a time");
        }
        List<Object> failed = new ArrayList<>();
        long index = start;
        for (FailedJob job : tasks.failed(start, stop)) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("id", index++);
            entry.put("worker", job.worker());
            entry.put("queue", job.queue());
            entry.put("payload", job.payload() == null ? null : job(job.payload(), redactor));
            entry.put("exception", job.exception());
            entry.put("error", job.error());
            entry.put("backtrace", job.backtrace());
            entry.put("failed_at", job.failedAt());
            failed.add(entry);
        }
        return Map.of("failed", failed, "total", tasks.failedCount());
    }

    /**
     * ah-resque-ui's {@code resque:delayedjobs}: the seconds with delayed jobs from {@code start} to {@code stop}
     * (inclusive, earliest first), each with its jobs. A second is given in milliseconds since the epoch, as
     * node-resque's {@code timestamps()} gives it, and {@link #delayedAt} finds a job by that second and its index.
     */
    static Map<String, Object> delayed(TaskQueue tasks, long start, long stop, Redactor redactor) {
        if (start < 0 || stop < start) {
            throw ActionException.unprocessable("start must be 0 or more and stop not below start");
        }
        if (stop - start + 1 > MAX_PAGE) {
            throw ActionException.unprocessable("list at most " + MAX_PAGE + " seconds of delayed jobs at a time");
        }
        List<Instant> timestamps = tasks.timestamps();
        List<Object> delayed = new ArrayList<>();
        for (long i = start; i <= stop && i < timestamps.size(); i++) {
            Instant at = timestamps.get((int) i);
            List<Object> jobs = new ArrayList<>();
            for (Job job : tasks.delayedAt(at)) {
                jobs.add(job(job, redactor));
            }
            delayed.add(Map.of("timestamp", at.toEpochMilli(), "jobs", jobs));
        }
        return Map.of("timestampsCount", timestamps.size(), "delayedjobs", delayed);
    }

    /** The delayed job at {@code timestamp} (ms) with index {@code count} among that second's jobs, or 404. */
    /** The params that name a delayed job, as ah-resque-ui names it: its second ({@code timestamp}, ms) and index ({@code count}). */
    static final Inputs DELAYED_JOB = Inputs.of(Input.required("timestamp").type("integer").formatter(Formatters.LONG),
            Input.required("count").type("integer").formatter(Formatters.LONG));

    static Job delayedAt(TaskQueue tasks, long timestamp, long count) {
        List<Job> jobs = tasks.delayedAt(Instant.ofEpochMilli(timestamp));
        if (count < 0 || count >= jobs.size()) {
            throw ActionException.notFound("no delayed job " + count + " at " + timestamp + " (" + jobs.size()
                    + " delayed to that second)");
        }
        return jobs.get((int) count);
    }

    static Map<String, Object> recurring(TaskQueue tasks) {
        List<Object> recurring = new ArrayList<>();
        for (RecurringTask task : tasks.recurringTasks()) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("name", task.name());
            entry.put("queue", task.queue());
            entry.put("frequency", task.frequency().toMillis());
            entry.put("scheduledAt", task.scheduledAt().stream().map(Instant::toEpochMilli).toList());
            recurring.add(entry);
        }
        return Map.of("recurring", recurring);
    }

    static FailedJob failedAt(TaskQueue tasks, long id) {
        List<FailedJob> found = tasks.failed(id, id);
        if (found.isEmpty()) {
            throw ActionException.notFound("no failed job at index " + id);
        }
        return found.get(0);
    }

    /**
     * A job as these actions show it: its args as the param-filtering bundle's {@link Redactor} renders them (secret
     * values {@code [FILTERED]}), or, while none runs, every value {@code [FILTERED]}: an admin's screen is output like
     * a log line. The queues themselves keep the args (a retry needs them).
     */
    static Map<String, Object> job(Job job, Redactor redactor) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("class", job.taskName());
        out.put("queue", job.queue());
        List<Object> args = new ArrayList<>();
        for (Object arg : job.args()) {
            args.add(shown(arg, redactor));
        }
        out.put("args", args);
        return out;
    }

    @SuppressWarnings("unchecked")
    private static Object shown(Object arg, Redactor redactor) {
        if (arg instanceof Map<?, ?> map) {
            if (redactor != null) {
                return redactor.params((Map<String, ?>) map);
            }
            Map<String, Object> names = new LinkedHashMap<>();
            map.keySet().forEach(key -> names.put(String.valueOf(key), Redactor.FILTERED));
            return names;
        }
        // a node-resque job may pass any JSON value as an arg: shown as the value of a param named after its place
        return redactor == null ? Redactor.FILTERED : redactor.params(Collections.singletonMap("arg", arg)).get("arg");
    }

    static Map<String, Object> worker(WorkerStatus worker, Redactor redactor) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("worker", worker.worker());
        out.put("queues", worker.queues());
        out.put("status", worker.isWorking() ? Map.of("run_at", worker.runAt(), "payload", job(worker.job(), redactor)) : "idle");
        return out;
    }
}
