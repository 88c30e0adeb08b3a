package io.herald.tasks.internal.engine;

import java.util.Map;

import io.herald.api.task.Job;
import io.herald.api.task.TaskEvent;
import io.herald.api.task.TaskQueue;
import io.herald.tasks.internal.plugins.DelayedMove;

/**
 * The {@link TaskEvent} the hooks of one job see, for one step: enqueuing (by a caller or by the scheduler moving a
 * delayed job) or performing (by a worker). Used by one thread at a time; the hook chain sets the options of each plugin
 * before calling it.
 */
public final class JobEvent implements TaskEvent, DelayedMove {

    private final Job job;
    private final String workerName;
    private final TaskQueue tasks;
    private final Long delayedTimestamp;
    private Map<String, Object> options = Map.of();
    private Throwable error;
    private Object result;
    private String declinedBy;
    private int hooksEntered;

    private JobEvent(Job job, String workerName, TaskQueue tasks, Long delayedTimestamp) {
        this.job = job;
        this.workerName = workerName;
        this.tasks = tasks;
        this.delayedTimestamp = delayedTimestamp;
    }

    /** A job being enqueued by a caller. */
    public static JobEvent enqueuing(Job job, TaskQueue tasks) {
        return new JobEvent(job, null, tasks, null);
    }

    /** A delayed job the scheduler is moving from {@code delayed:<timestamp>} to its queue. */
    public static JobEvent transferring(Job job, TaskQueue tasks, long timestamp) {
        return new JobEvent(job, null, tasks, timestamp);
    }

    /** A job a worker performs. */
    public static JobEvent performing(Job job, String workerName, TaskQueue tasks) {
        return new JobEvent(job, workerName, tasks, null);
    }

    @Override
    public Job job() {
        return job;
    }

    @Override
    public String workerName() {
        return workerName;
    }

    @Override
    public Map<String, Object> options() {
        return options;
    }

    void useOptions(Map<String, Object> options) {
        this.options = options == null ? Map.of() : options;
    }

    @Override
    public Throwable error() {
        return error;
    }

    public void fail(Throwable error) {
        this.error = error;
    }

    @Override
    public void clearError() {
        this.error = null;
    }

    @Override
    public Object result() {
        return result;
    }

    public void succeed(Object result) {
        this.result = result;
        this.error = null;
    }

    @Override
    public TaskQueue tasks() {
        return tasks;
    }

    @Override
    public Long delayedTimestamp() {
        return delayedTimestamp;
    }

    /** The hook that declined the step ({@code "plugin QueueLock"}), or {@code null}. */
    public String declinedBy() {
        return declinedBy;
    }

    void declinedBy(String hook) {
        this.declinedBy = hook;
    }

    int hooksEntered() {
        return hooksEntered;
    }

    void hooksEntered(int count) {
        this.hooksEntered = count;
    }
}
