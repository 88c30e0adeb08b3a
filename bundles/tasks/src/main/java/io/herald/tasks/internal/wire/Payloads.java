package io.herald.tasks.internal.wire;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import io.herald.api.task.FailedJob;
import io.herald.api.task.Job;
import io.herald.api.task.WorkerStatus;

/**
 * The JSON payloads of the Resque wire format (the job of {@code Queue.encode} in node-resque's
 * {@code src/core/queue.ts}, the failure of {@code Worker.failurePayload} in {@code src/core/worker.ts}, the working-on
 * payload of {@code lua/popAndStoreJob.lua}, the ping of {@code Worker.ping}), written byte for byte as node-resque
 * writes them and read leniently (any key order, extra fields ignored, missing ones tolerated where node-resque, Ruby
 * Resque or Jesque leave them out).
 */
public final class Payloads {

    private Payloads() {
    }

    // ------------------------------------------------------------------------------------------------ job

    /**
     * node-resque's {@code Queue.encode}: {@code JSON.stringify({class, queue, args})}, keys in that order, e.g.
     * {@code {"class":"sayHello","queue":"default","args":[{"name":"x"}]}}.
     *
     * @param args the job's arguments (for Herald and Actionhero tasks one element, the params)
     */
    public static String encodeJob(String taskName, String queue, List<?> args) {
        Map<String, Object> job = new LinkedHashMap<>(4);
        job.put("class", Objects.requireNonNull(taskName, "taskName"));
        job.put("queue", Objects.requireNonNull(queue, "queue"));
        job.put("args", args == null ? List.of() : args);
        return JsJson.stringify(job);
    }

    /** {@link #encodeJob(String, String, List)} of a {@link Job}. */
    public static String encodeJob(Job job) {
        return encodeJob(job.taskName(), job.queue(), job.args());
    }

    /**
     * Reads a job: {@code class} must be a string; {@code queue} may be missing (Jesque writes none), then
     * {@code fallbackQueue} is used; {@code args} may be missing or null (no arguments) or a single value rather than
     * an array (node-resque's {@code arrayify} makes it a one-element array).
     *
     * @param fallbackQueue the queue the job was read from, or {@code null} to require a {@code queue} field
     * @throws WireFormatException when the text is not JSON, not an object, or lacks a usable {@code class} or
     *     {@code queue}
     */
    public static Job decodeJob(String raw, String fallbackQueue) {
        Object value = JsJson.parse(raw);
        try {
            return decodeJobValue(value, fallbackQueue);
        } catch (WireFormatException e) {
            throw new WireFormatException(e.getMessage() + ": " + WireFormatException.excerpt(raw));
        }
    }

    /** {@link #decodeJob(String, String)} requiring the {@code queue} field. */
    public static Job decodeJob(String raw) {
        return decodeJob(raw, null);
    }

    /** A job from an already decoded JSON value (the {@code payload} of a failure or working-on payload). */
    static Job decodeJobValue(Object value, String fallbackQueue) {
        if (!(value instanceof Map<?, ?> fields)) {
            throw new WireFormatException("a job must be a JSON object, got " + JsJson.describe(value));
        }
        Object taskName = fields.get("class");
        if (!(taskName instanceof String)) {
            throw new WireFormatException("a job needs \"class\" as a string, got " + JsJson.describe(taskName));
        }
        Object queue = fields.get("queue");
        if (!(queue instanceof String)) {
            if (queue != null || fallbackQueue == null) {
                throw new WireFormatException("a job needs \"queue\" as a string, got " + JsJson.describe(queue));
            }
            queue = fallbackQueue;
        }
        Object args = fields.get("args");
        List<Object> list;
        if (args == null) {
            list = List.of();
        } else if (args instanceof List<?> items) {
            list = new ArrayList<>(items);
        } else {
            list = new ArrayList<>(1);
            list.add(args);
        }
        return new Job((String) taskName, (String) queue, list);
    }

    // ------------------------------------------------------------------------------------------------ failure

    /**
     * node-resque's {@code Worker.failurePayload}, stringified: {@code {"worker","queue","payload","exception",
     * "error","backtrace","failed_at"}} in that order, so that node-resque's {@code removeFailed} (which parses the
     * entry and LREMs its re-serialization) finds it.
     *
     * <p>The job is embedded as the value node-resque would embed (the parsed job, re-serialized the JavaScript way),
     * so a job a Ruby peer wrote with spaces still gives an entry that survives node-resque's round trip. A payload
     * that is not JSON is embedded as a JSON string: the entry stays readable and keeps the bad text for the operator.
     *
     * @param rawJob the job's text as popped from the queue
     * @param backtrace the stack, one line per element, or {@code null} (written as {@code null}, as node-resque does
     *     for an error without a stack)
     * @param failedAt when, normally {@link JsDate#now()}
     */
    public static String encodeFailure(String worker, String queue, String rawJob, String exception, String error,
            List<String> backtrace, String failedAt) {
        Map<String, Object> failure = new LinkedHashMap<>(8);
        failure.put("worker", worker);
        failure.put("queue", queue);
        failure.put("payload", jobValue(rawJob));
        failure.put("exception", cut(exception, StackLines.MAX_LINE_LENGTH));
        // An error message may quote whatever the job held (a quarter-megabyte document): bounded, like the stack.
        failure.put("error", cut(error, MAX_ERROR_LENGTH));
        failure.put("backtrace", backtrace == null ? null : StackLines.bounded(backtrace));
        failure.put("failed_at", failedAt);
        return JsJson.stringify(failure);
    }

    /** The most characters of a failure's error message stored in its failed-queue entry. */
    public static final int MAX_ERROR_LENGTH = 10_000;

    /** {@code text}, or its first {@code max} characters and how long it was. */
    static String cut(String text, int max) {
        if (text == null || text.length() <= max) {
            return text;
        }
        int end = Character.isHighSurrogate(text.charAt(max - 1)) ? max - 1 : max;
        return text.substring(0, end) + "... (" + text.length() + " chars)";
    }

    /** The parsed job, or the text itself when it is not JSON. */
    private static Object jobValue(String rawJob) {
        if (rawJob == null) {
            return null;
        }
        try {
            return JsJson.parse(rawJob);
        } catch (WireFormatException e) {
            return rawJob;
        }
    }

    /**
     * Reads a failed-queue entry written by node-resque, Ruby Resque, Jesque or Herald. Missing fields are null;
     * {@code payload} is null when it is not a readable job; {@code backtrace} may be an array (non-string elements are
     * written as JSON), a string (split into lines) or missing; {@code failed_at} is kept as written.
     *
     * @return the entry, with {@link FailedJob#raw()} the stored text
     * @throws WireFormatException when the entry is not a JSON object
     */
    public static FailedJob decodeFailure(String raw) {
        Map<String, Object> fields = JsJson.parseObject(raw);
        String queue = text(fields.get("queue"));
        Job job;
        try {
            job = fields.get("payload") == null ? null : decodeJobValue(fields.get("payload"), queue);
        } catch (WireFormatException e) {
            job = null;
        }
        return new FailedJob(text(fields.get("worker")), queue, job, text(fields.get("exception")),
                text(fields.get("error")), backtrace(fields.get("backtrace")), text(fields.get("failed_at")), raw);
    }

    private static List<String> backtrace(Object value) {
        if (value instanceof List<?> lines) {
            List<String> out = new ArrayList<>(lines.size());
            for (Object line : lines) {
                out.add(line instanceof String text ? text : JsJson.stringify(line));
            }
            return out;
        }
        if (value instanceof String text) {
            return List.of(text.split("\r?\n"));
        }
        return List.of();
    }

    /** A string field as written; any other JSON value as its JSON text; null when absent. */
    private static String text(Object value) {
        if (value == null || value instanceof String) {
            return (String) value;
        }
        return JsJson.stringify(value);
    }

    // ------------------------------------------------------------------------------------------------ working on

    /**
     * The working-on payload {@code {"run_at":..,"queue":..,"payload":<job>,"worker":..}} (the order of the
     * ResqueStore contract; node-resque's Lua writes the same fields in cjson's order). A job that is a JSON object
     * (its text starting with {@code {}) is embedded as its stored text; anything else is embedded as a JSON string,
     * so that a payload that is not a job is still recorded, and {@link WorkingOn#rawJob()} gives its text back, and
     * leads to a failure entry rather than being lost (node-resque's Lua fails after its LPOP on such a payload, and
     * the job vanishes). The same rule as {@code RedisResqueStore}'s script.
     */
    public static String encodeWorkingOn(String runAt, String queue, String rawJob, String worker) {
        StringBuilder out = new StringBuilder(rawJob.length() + 96);
        out.append("{\"run_at\":").append(JsJson.quote(runAt)).append(",\"queue\":").append(JsJson.quote(queue))
                .append(",\"payload\":");
        out.append(isJsonObject(rawJob) ? rawJob : JsJson.quote(rawJob));
        return out.append(",\"worker\":").append(JsJson.quote(worker)).append('}').toString();
    }

    private static boolean isJsonObject(String text) {
        if (!text.startsWith("{")) {
            return false;
        }
        try {
            return JsJson.parse(text) instanceof Map<?, ?>;
        } catch (WireFormatException e) {
            return false;
        }
    }

    /**
     * Reads a working-on payload.
     *
     * @throws WireFormatException when it is not a JSON object
     */
    public static WorkingOn decodeWorkingOn(String raw) {
        Map<String, Object> fields = JsJson.parseObject(raw);
        return new WorkingOn(text(fields.get("run_at")), text(fields.get("queue")), text(fields.get("worker")),
                fields.get("payload"));
    }

    /**
     * The API's view of one worker: idle when {@code workingOnRaw} is null; working on the job it holds otherwise.
     * A working-on value that is not readable gives a status whose job is null and whose {@code runAt} is null.
     */
    public static WorkerStatus workerStatus(String worker, String queues, String workingOnRaw) {
        if (workingOnRaw == null) {
            return new WorkerStatus(worker, queues, null, null);
        }
        try {
            return decodeWorkingOn(workingOnRaw).toStatus(worker, queues);
        } catch (WireFormatException e) {
            return new WorkerStatus(worker, queues, null, null);
        }
    }

    // ------------------------------------------------------------------------------------------------ ping

    /** node-resque's {@code Worker.ping}: {@code {"time":<unix s>,"name":..,"queues":..}}. */
    public static String encodePing(long timeSeconds, String name, String queues) {
        return "{\"time\":" + timeSeconds + ",\"name\":" + JsJson.quote(name) + ",\"queues\":" + JsJson.quote(queues)
                + "}";
    }

    /**
     * Reads a ping; {@code time} may be a number or a numeric string.
     *
     * @throws WireFormatException when it is not a JSON object or has no usable {@code time}
     */
    public static Ping decodePing(String raw) {
        Map<String, Object> fields = JsJson.parseObject(raw);
        Object time = fields.get("time");
        long seconds;
        if (time instanceof Number number) {
            seconds = number.longValue();
        } else if (time instanceof String text && text.matches("-?\\d{1,18}")) {
            seconds = Long.parseLong(text);
        } else {
            throw new WireFormatException("a ping needs \"time\" in unix seconds, got " + JsJson.describe(time) + ": "
                    + WireFormatException.excerpt(raw));
        }
        return new Ping(seconds, text(fields.get("name")), text(fields.get("queues")));
    }
}
