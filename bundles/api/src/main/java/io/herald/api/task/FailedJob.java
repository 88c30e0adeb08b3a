package io.herald.api.task;

import java.util.List;

/**
 * One entry of the failed queue ({@code resque:failed}), in the format node-resque and Ruby Resque share.
 *
 * @param worker the worker that ran the job
 * @param queue the queue it came from
 * @param payload the job; {@code null} when the stored payload could not be read as a job
 * @param exception the error's type
 * @param error the error's message
 * @param backtrace the stack, one line per element; may be empty
 * @param failedAt when, as the writer formatted it (node-resque: JavaScript's {@code Date.toString()})
 * @param raw the entry exactly as stored, which is how {@link TaskQueue#removeFailed} finds it
 * @since 1.0
 */
public record FailedJob(String worker, String queue, Job payload, String exception, String error, List<String> backtrace,
        String failedAt, String raw) {

    public FailedJob {
        backtrace = backtrace == null ? List.of() : List.copyOf(backtrace);
    }
}
