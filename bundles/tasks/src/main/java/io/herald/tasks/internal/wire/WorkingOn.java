package io.herald.tasks.internal.wire;

import io.herald.api.task.Job;
import io.herald.api.task.WorkerStatus;

/**
 * A worker's "working on" payload ({@code worker:<name>:<queues>}, set by node-resque's
 * {@code lua/popAndStoreJob.lua}), as read: {@code {"run_at":..,"queue":..,"payload":<job>,"worker":..}} in any key
 * order (node-resque's Lua writes it with {@code cjson}, whose order is not defined).
 *
 * @param runAt when the job started, as the worker wrote it (JavaScript's {@code Date.toString()} for node-resque and
 *     Herald); {@code null} when absent
 * @param queue the queue the job came from; {@code null} when absent
 * @param worker the worker's name; {@code null} when absent
 * @param payload the job as decoded JSON (a map for a readable job; the job's text when the worker stored a payload
 *     that is not JSON as a string)
 */
public record WorkingOn(String runAt, String queue, String worker, Object payload) {

    /** The job's text as node-resque would re-serialize it, or the stored string when the payload was not JSON. */
    public String rawJob() {
        return payload instanceof String text ? text : JsJson.stringify(payload);
    }

    /** The job, or {@code null} when the payload is not a readable job. */
    public Job job() {
        try {
            return Payloads.decodeJobValue(payload, queue);
        } catch (WireFormatException e) {
            return null;
        }
    }

    /** This payload as the API's {@link WorkerStatus} of {@code worker} on {@code queues}. */
    public WorkerStatus toStatus(String workerName, String queues) {
        return new WorkerStatus(workerName, queues, job(), runAt);
    }
}
