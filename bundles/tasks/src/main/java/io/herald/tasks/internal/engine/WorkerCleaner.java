package io.herald.tasks.internal.engine;

import java.util.List;

import io.herald.tasks.internal.store.ResqueStore;
import io.herald.tasks.internal.wire.JsDate;
import io.herald.tasks.internal.wire.Payloads;
import io.herald.tasks.internal.wire.WireFormatException;
import io.herald.tasks.internal.wire.WorkingOn;

/**
 * Removes a worker presumed dead, as node-resque's {@code Queue.forceCleanWorker}: the job it was working on goes to the
 * failed queue with node-resque's payload ({@code exception} = {@code error} = {@code "Worker Timeout (killed manually)"},
 * {@code backtrace} = {@code ["killed by <host> at <date>", "queue#forceCleanWorker", "node-resque"]}), by which
 * node-resque's {@code retryStuckJobs} recognises it, and its keys go.
 */
public final class WorkerCleaner {

    public static final String TIMEOUT_MESSAGE = "Worker Timeout (killed manually)";
    public static final String FORCE_CLEAN_MARK = "queue#forceCleanWorker";

    private WorkerCleaner() {
    }

    /**
     * A worker removed, and the failure entry written for the job it held ({@code null} when it was idle, or when
     * another cleaner removed it first and wrote the entry).
     */
    public record Cleaned(String worker, String queues, WorkingOn workingOn, String failure) {
    }

    /**
     * Cleans one worker.
     *
     * @param queues the worker's queue part of its {@code workers} member
     */
    public static Cleaned forceClean(ResqueStore store, String worker, String queues) {
        String raw = store.workingOn(worker, queues);
        WorkingOn workingOn = null;
        String failure = null;
        if (raw != null) {
            try {
                workingOn = Payloads.decodeWorkingOn(raw);
            } catch (WireFormatException e) {
                // unreadable working-on value: keep its text as the payload, so the operator still sees it
                workingOn = new WorkingOn(null, null, worker, raw);
            }
            String now = JsDate.now();
            failure = Payloads.encodeFailure(worker, workingOn.queue(), workingOn.rawJob(), TIMEOUT_MESSAGE,
                    TIMEOUT_MESSAGE, List.of("killed by " + HostName.get() + " at " + now, FORCE_CLEAN_MARK,
                            "node-resque"), now);
        }
        boolean written = store.forceCleanWorker(worker, queues, failure);
        return new Cleaned(worker, queues, workingOn, written ? failure : null);
    }
}
