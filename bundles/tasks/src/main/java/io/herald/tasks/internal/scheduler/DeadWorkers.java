package io.herald.tasks.internal.scheduler;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.function.Predicate;

import io.herald.api.task.Job;
import io.herald.tasks.internal.engine.HostName;
import io.herald.tasks.internal.engine.RegisteredTask;
import io.herald.tasks.internal.engine.ResqueTaskQueue;
import io.herald.tasks.internal.engine.WorkerCleaner;
import io.herald.tasks.internal.plugins.BuiltInPlugins;
import io.herald.tasks.internal.plugins.PluginKeys;
import io.herald.tasks.internal.store.ResqueStore;
import io.herald.tasks.internal.wire.WorkerMember;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removes workers known to be dead, the way the scheduler removes a stuck worker: node-resque's
 * {@code forceCleanWorker} (its job to the failed queue with the force-clean payload), then with
 * {@code retryStuckJobs} the job enqueued again in the same atomic step that removes the failure entry; the dead run's
 * {@code JobLock} is deleted (it would drop every copy of the job for its TTL), and a recurring task is checked so it
 * keeps recurring.
 *
 * <p>{@link #releaseLocal} finds the dead workers of this very host without waiting for any timeout, as Ruby Resque's
 * {@code Worker#prune_dead_workers} does for its own host: a worker named {@code <this host>:<pid>...} whose process
 * no longer runs, or whose pid is this process's own but which is none of this process's workers (a previous
 * incarnation in a container, where pids repeat), is dead. Host names are taken to name one process space, as
 * node-resque's {@code host:pid} names and Herald's scheduler lock take-over already assume.
 */
public final class DeadWorkers {

    private static final Logger LOG = LoggerFactory.getLogger(DeadWorkers.class);

    private DeadWorkers() {
    }

    /** What became of a removed worker's job, for the log. */
    public enum Outcome {
        /** It was idle. */
        IDLE("it was idle"),
        /** Its job went to the failed queue. */
        FAILED("its job went to the failed queue"),
        /** Its job was enqueued again ({@code retryStuckJobs}). */
        RETRIED("its job was enqueued again");

        private final String words;

        Outcome(String words) {
            this.words = words;
        }

        @Override
        public String toString() {
            return words;
        }
    }

    /** Removes one worker presumed dead, {@code queues} being its part of the {@code workers} member. */
    public static Outcome remove(ResqueTaskQueue tasks, String worker, String queues, boolean retryStuckJobs) {
        ResqueStore store = tasks.store();
        WorkerCleaner.Cleaned cleaned = WorkerCleaner.forceClean(store, worker, queues);
        if (cleaned.failure() == null) {
            return Outcome.IDLE;
        }
        Job job = cleaned.workingOn().job();
        boolean retried = false;
        if (retryStuckJobs) {
            String queue = cleaned.workingOn().queue() != null ? cleaned.workingOn().queue()
                    : job != null ? job.queue() : null;
            if (queue != null) {
                retried = store.retryFailed(cleaned.failure(), queue, cleaned.workingOn().rawJob());
                if (retried) {
                    tasks.jobArrived(queue);
                }
            }
        }
        RegisteredTask task = job == null ? null : tasks.registry().task(job.taskName());
        if (task != null) {
            if (task.plugins().contains(BuiltInPlugins.JOB_LOCK)) {
                store.delete(jobLockKey(task, job));
            }
            if (task.recurring()) {
                RecurringTasks.ensure(tasks, task);
            }
        }
        return retried ? Outcome.RETRIED : Outcome.FAILED;
    }

    /**
     * Removes every registered worker of this host that is dead (see the class comment) and logs them in one line.
     *
     * @param ownWorker whether a worker name belongs to a worker of this process that runs now
     * @return the names of the workers removed
     */
    public static List<String> releaseLocal(ResqueTaskQueue tasks, boolean retryStuckJobs, Predicate<String> ownWorker) {
        List<String> released = new ArrayList<>();
        List<String> described = new ArrayList<>();
        for (String member : tasks.store().workers()) {
            WorkerMember parsed = WorkerMember.parse(member);
            String why = whyDead(parsed.worker(), ownWorker);
            if (why == null) {
                continue;
            }
            Outcome outcome = remove(tasks, parsed.worker(), parsed.queues() == null ? "" : parsed.queues(),
                    retryStuckJobs);
            released.add(parsed.worker());
            described.add(parsed.worker() + " (" + why + "; " + outcome + ")");
        }
        if (!released.isEmpty()) {
            LOG.warn("released {} worker(s) of this host ({}) left by processes that no longer run: {}", released.size(),
                    HostName.get(), String.join(", ", described));
        }
        return released;
    }

    /** Why the worker of that name is dead, or {@code null} when it is not known to be (another host, alive). */
    private static String whyDead(String worker, Predicate<String> ownWorker) {
        OptionalLong pid = HostName.localPid(worker);
        if (pid.isEmpty() || pid.getAsLong() <= 0) {
            return null;
        }
        if (pid.getAsLong() == HostName.pid()) {
            return ownWorker.test(worker) ? null : "this process's pid, but not one of its workers";
        }
        return HostName.alive(pid.getAsLong()) ? null : "process " + pid.getAsLong() + " no longer runs";
    }

    static String jobLockKey(RegisteredTask task, Job job) {
        Object fixed = task.pluginOptions(BuiltInPlugins.JOB_LOCK).get("key");
        return fixed != null && !fixed.toString().isEmpty() ? fixed.toString() : PluginKeys.jobLock(job);
    }
}
