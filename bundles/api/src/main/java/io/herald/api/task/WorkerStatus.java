package io.herald.api.task;

/**
 * What one worker is doing, from {@code resque:worker:<name>:<queues>}.
 *
 * @param worker the worker's name, {@code host:pid+N} for Herald and node-resque workers
 * @param queues the queues it works, joined by {@code ,} (or {@code *})
 * @param job the job it runs, or {@code null} when idle
 * @param runAt when it started the job, as the worker formatted it; {@code null} when idle
 * @since 1.0
 */
public record WorkerStatus(String worker, String queues, Job job, String runAt) {

    public boolean isWorking() {
        return job != null;
    }
}
