package io.herald.tasks.internal.scheduler;

import java.util.List;
import java.util.Map;

import io.herald.api.task.Job;
import io.herald.api.task.TaskException;
import io.herald.tasks.internal.engine.RegisteredTask;
import io.herald.tasks.internal.engine.ResqueTaskQueue;
import io.herald.tasks.internal.plugins.PluginKeys;
import io.herald.tasks.internal.store.ResqueStore;
import io.herald.tasks.internal.wire.Payloads;
import io.herald.tasks.internal.wire.WireFormatException;
import io.herald.tasks.internal.wire.WorkerMember;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps each recurring task alive in the cluster: exactly one copy queued, running or delayed.
 *
 * <p>Actionhero enqueues every recurring task when a scheduler starts ({@code enqueue(name, {})}) and relies on
 * {@code QueueLock}/{@code DelayQueueLock} to drop the copies other nodes add; each run schedules the next. That chain
 * breaks when every node dies at once (SIGKILL): locks live on in Redis with their TTL (an hour by default) although
 * the job they guard is gone, and the restarted node's enqueue is then declined by a stale {@code QueueLock}, or its
 * copy is dropped by a stale {@code JobLock}, and the task never runs again. So the <em>leader</em>, when it becomes
 * leader, checks each task instead of trusting the locks ({@link #ensure}):
 *
 * <ol>
 *   <li>Is the job in its queue (exact bytes)? Then it will run.</li>
 *   <li>Is a worker working on it (a {@code worker:*} working-on record of that class and queue)? Then that run
 *       schedules the next one. If that worker is dead, the stuck-worker check removes it once its ping is older than
 *       {@code stuckWorkerTimeout} and calls {@link #ensure} again, after deleting the dead run's {@code JobLock}.</li>
 *   <li>Is it delayed ({@code timestamps:<job>})? Then the scheduler moves it when due.</li>
 *   <li>None: any {@code QueueLock}/{@code JobLock} key left for it is stale (its holder died between taking the lock
 *       and writing the job, or the job was deleted): both are deleted and the task enqueued.</li>
 * </ol>
 *
 * <p>The checks follow the way a job moves (queue, then a worker, then delayed by the worker after its run), so a
 * job that moves while they run is found by a later check; the move from delayed to a queue is made by the leader
 * only, in the thread running these checks, so it cannot happen in between. What could still slip through (two nodes
 * starting while a lock is being cleared) is a second queued copy, which the next run removes: every run deletes the
 * task's other queued and delayed copies before scheduling the next ({@code Recurrence}). Non-leaders only enqueue as
 * Actionhero does: a task registered on them alone is still started.
 */
final class RecurringTasks {

    private static final Logger LOG = LoggerFactory.getLogger(RecurringTasks.class);
    private static final int PAGE = 1000;

    private RecurringTasks() {
    }

    /** Actionhero's {@code enqueueAllRecurrentTasks} for one task: {@code enqueue(name, {})}, the locks dedupe. */
    static void enqueue(ResqueTaskQueue tasks, RegisteredTask task) {
        try {
            if (tasks.enqueue(task.name(), Map.of())) {
                LOG.info("recurring task {} enqueued (every {} ms)", task.name(), task.frequency());
            }
        } catch (TaskException e) {
            LOG.error("recurring task {} could not be enqueued: {}", task.name(), e.getMessage());
        }
    }

    /** Makes sure the task is queued, running or delayed; enqueues it when it is none of these. */
    static void ensure(ResqueTaskQueue tasks, RegisteredTask task) {
        ResqueStore store = tasks.store();
        Job job = tasks.recurringJob(task);
        String payload = Payloads.encodeJob(job);
        if (queued(store, job.queue(), payload) || running(store, job) || !store.scheduledAt(payload).isEmpty()) {
            return;
        }
        boolean staleQueueLock = store.delete(PluginKeys.queueLock(job));
        boolean staleJobLock = store.delete(PluginKeys.jobLock(job));
        if (staleQueueLock || staleJobLock) {
            LOG.warn("recurring task {} was neither queued, running nor delayed; stale locks removed ({}{}), enqueuing it",
                    task.name(), staleQueueLock ? "QueueLock" : "", staleJobLock ? (staleQueueLock ? ", JobLock" : "JobLock")
                            : "");
        }
        enqueue(tasks, task);
    }

    private static boolean queued(ResqueStore store, String queue, String payload) {
        long length = store.length(queue);
        for (long start = 0; start < length; start += PAGE) {
            List<String> page = store.queued(queue, start, start + PAGE - 1);
            if (page.contains(payload)) {
                return true;
            }
            if (page.size() < PAGE) {
                return false;
            }
        }
        return false;
    }

    private static boolean running(ResqueStore store, Job job) {
        for (String member : store.workers()) {
            WorkerMember parsed = WorkerMember.parse(member);
            if (parsed.queues() == null) {
                continue;
            }
            String raw = store.workingOn(parsed.worker(), parsed.queues());
            if (raw == null) {
                continue;
            }
            try {
                Job running = Payloads.decodeWorkingOn(raw).job();
                if (running != null && running.taskName().equals(job.taskName()) && running.queue().equals(job.queue())) {
                    return true;
                }
            } catch (WireFormatException e) {
                // an unreadable record is not this task's run
            }
        }
        return false;
    }
}
