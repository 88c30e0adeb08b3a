package io.herald.api.task;

/**
 * Why the task processor refused a request: an unknown task, params that fail the task's inputs, a delayed job
 * already scheduled at that time, or the queue's storage (Redis) being unavailable. The message is meant for the
 * caller and names the cause.
 *
 * @since 1.0
 */
public class TaskException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** What went wrong, for callers that react differently. */
    public enum Reason {
        /** No task of that name is registered on this node. */
        UNKNOWN_TASK,
        /** The params fail the task's inputs; the message is the validation error. */
        INVALID_PARAMS,
        /** {@code enqueueAt}/{@code enqueueIn}: the same job is already scheduled at that time (node-resque's check). */
        DUPLICATE,
        /** The storage could not be reached within its retry window. */
        UNAVAILABLE
    }

    private final Reason reason;

    public TaskException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public TaskException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
